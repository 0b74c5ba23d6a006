package db

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
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
	SettingMaxUpload      = "max-upload" // per file sent with scp or sftp
)

// TemplatePlaceholders are what the share templates may hold;
// studio.ShareFor fills them in.
var TemplatePlaceholders = []string{"{title}", "{url}", "{pin}", "{expires}", "{studio}"}

// placeholderRE finds what looks like a placeholder, typos included.
var placeholderRE = regexp.MustCompile(`\{[^{}\n]{1,30}\}`)

// minEventRetention keeps "who opened it today" answerable.
const minEventRetention = 24 * time.Hour

var settingDefaults = map[string]string{
	SettingStudioName:     "Pinhole",
	SettingBaseURL:        "http://localhost:8080",
	SettingTemplateLink:   "Hello! Your photos from {title} are ready: {url}\nThe gallery is available until {expires}.\n— {studio}",
	SettingTemplatePIN:    "The PIN for your gallery \"{title}\" is {pin}. — {studio}",
	SettingEventRetention: "400d",
	SettingMaxUpload:      "1 GiB",
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
	if (key == SettingTemplateLink || key == SettingTemplatePIN) && value != "" {
		var unknown []string
		for _, p := range placeholderRE.FindAllString(value, -1) {
			if !slices.Contains(TemplatePlaceholders, p) && !slices.Contains(unknown, p) {
				unknown = append(unknown, p)
			}
		}
		if len(unknown) > 0 {
			return invalidf("%s: unknown placeholder %s: the known ones are %s", key, strings.Join(unknown, ", "), strings.Join(TemplatePlaceholders, " "))
		}
	}
	if key == SettingMaxUpload && value != "" {
		if _, err := ParseSize(value); err != nil {
			return invalidf("max-upload %q: %v", value, err)
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

// sizeUnits are the units ParseSize knows, in lower case.
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9, "t": 1e12, "tb": 1e12,
	"kib": 1 << 10, "mib": 1 << 20, "gib": 1 << 30, "tib": 1 << 40,
}

// ParseSize reads a size in bytes as people write it: "1 GiB", "500MB",
// "4.5 kB", "1048576".
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	unit, ok := sizeUnits[strings.ToLower(strings.TrimSpace(s[i:]))]
	if err != nil || !ok {
		return 0, errors.New("use a size such as 500 MB, 2 GiB or a number of bytes")
	}
	b := n * unit
	if b < 1 || b > 1<<50 {
		return 0, errors.New("use a size from 1 byte to 1 PiB")
	}
	return int64(b), nil
}
