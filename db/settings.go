package db

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// Settings the photographer can change, with their defaults.
const (
	SettingStudioName   = "studio-name"
	SettingBaseURL      = "base-url"
	SettingTemplateLink = "share-template-link"
	SettingTemplatePIN  = "share-template-pin"
	// SettingEventRetention is how long single events are kept; older
	// ones are folded into daily counts.
	SettingEventRetention = "event-retention"
)

// minEventRetention keeps "who opened it today" answerable.
const minEventRetention = 24 * time.Hour

var settingDefaults = map[string]string{
	SettingStudioName:     "Pinhole",
	SettingBaseURL:        "http://localhost:8080",
	SettingTemplateLink:   "Hello! Your photos from {title} are ready: {url}\nThe gallery is available until {expires}.\n— {studio}",
	SettingTemplatePIN:    "The PIN for your gallery \"{title}\" is {pin}. — {studio}",
	SettingEventRetention: "400d",
}

// SettingKeys lists the settings the photographer can change.
func SettingKeys() []string {
	keys := make([]string, 0, len(settingDefaults))
	for k := range settingDefaults {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func checkSetting(key string) error {
	if _, ok := settingDefaults[key]; !ok {
		return invalidf("unknown setting %q: use one of %s", key, strings.Join(SettingKeys(), ", "))
	}
	return nil
}

// Setting reads a setting, or its default.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	if err := checkSetting(key); err != nil {
		return "", err
	}
	var v string
	err := s.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if err := wrap("setting "+key, err); errors.Is(err, ErrNotFound) {
		return settingDefaults[key], nil
	} else if err != nil {
		return "", err
	}
	return v, nil
}

// SetSetting changes a setting; an empty value restores the default.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	if err := checkSetting(key); err != nil {
		return err
	}
	value = strings.TrimSpace(value)
	if key == SettingBaseURL && value != "" {
		u, err := url.Parse(value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return invalidf("base-url %q: use a full address such as https://photos.example.com", value)
		}
		value = strings.TrimRight(value, "/")
	}
	if key == SettingEventRetention && value != "" {
		d, err := ParseDuration(value)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if d < minEventRetention {
			return invalidf("%s %q: keep events at least a day (1d)", key, value)
		}
	}
	var err error
	if value == "" {
		_, err = s.w.ExecContext(ctx, "DELETE FROM settings WHERE key = ?", key)
	} else {
		_, err = s.w.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", key, value)
	}
	return wrap("set "+key, err)
}
