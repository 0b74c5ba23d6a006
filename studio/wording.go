package studio

import (
	"context"

	"pinhole/db"
)

// defaultWording is what the settings that hold words for clients say until
// the photographer writes their own: the store keeps only what was typed.
var defaultWording = map[string]string{
	db.SettingStudioName:     "Pinhole",
	db.SettingTemplateLink:   "Hello! Your photos from {title} are ready: {url}\nThe gallery is available until {expires}.\n— {studio}",
	db.SettingTemplatePIN:    "The PIN for your gallery \"{title}\" is {pin}. — {studio}",
	db.SettingTemplateClient: "Hello {name}! Your galleries at {studio} are waiting for you: {url}\nSign in with your access code: {code}",
}

// DefaultSetting is what a setting reads as while unset: its default
// wording, "" for a setting that has none here.
func DefaultSetting(key string) string { return defaultWording[key] }

// Setting reads a setting as the photographer and clients meet it: the
// store's value, or the default wording of one left unset.
func Setting(ctx context.Context, store *db.Store, key string) (string, error) {
	v, err := store.Setting(ctx, key)
	if err == nil && v == "" {
		v = defaultWording[key]
	}
	return v, err
}
