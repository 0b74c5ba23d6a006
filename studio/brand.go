package studio

import (
	"context"
	"fmt"

	"pinhole/db"
	"pinhole/media"
)

// SetSetting changes a setting as `config set` does: for the logo, value is
// the path of a picture, imported like a photo (checked, stored by content,
// given renditions; transparency is flattened onto white) and then named
// in the setting. Any other value goes to the store as it is, and an empty
// value restores the default.
func SetSetting(ctx context.Context, store *db.Store, lib *media.Library, key, value string) error {
	if key != db.SettingLogo || value == "" {
		return store.SetSetting(ctx, key, value)
	}
	p, err := lib.Add(ctx, value, media.Options{Workers: 1})
	if err != nil {
		return fmt.Errorf("logo %s: %w", value, err)
	}
	return store.SetSetting(ctx, key, db.Logo{SHA256: p.SHA256, Width: p.Width, Height: p.Height}.String())
}
