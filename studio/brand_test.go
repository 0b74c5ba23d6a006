package studio

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/media"
)

// TestSetSetting_Logo: a logo is imported like a photo, named in the
// setting, kept by doctor --repair and by deleting a gallery that holds the
// same picture; a file that is no picture changes nothing.
func TestSetSetting_Logo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	logo := filepath.Join(photoDir, "hopper.png")
	if err := SetSetting(ctx, f.store, f.lib, db.SettingLogo, logo); err != nil {
		t.Fatal(err)
	}
	v, err := f.store.Setting(ctx, db.SettingLogo)
	if err != nil {
		t.Fatal(err)
	}
	l, ok := db.ParseLogo(v)
	if !ok || l.Width == 0 || l.Height == 0 {
		t.Fatalf("logo setting %q", v)
	}
	if missing := checkFiles(t, f.lib, l.SHA256); len(missing) != 0 {
		t.Fatalf("logo files missing: %v", missing)
	}

	// The same picture in a gallery, then the gallery deleted.
	if _, err := Import(ctx, f.store, f.lib, f.slug, []string{logo}, media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := DeleteGallery(ctx, f.store, f.lib, f.slug); err != nil {
		t.Fatal(err)
	}
	if missing := checkFiles(t, f.lib, l.SHA256); len(missing) != 0 {
		t.Fatalf("deleting a gallery removed the logo: %v", missing)
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(f.lib.Store().Location(media.OriginalKey(l.SHA256)), old, old)
	for _, r := range media.Renditions() {
		os.Chtimes(f.lib.Store().Location(media.RenditionKey(r, l.SHA256)), old, old)
	}
	rep, err := Doctor(ctx, f.store, f.lib, DoctorOptions{Repair: true})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("doctor --repair: %+v, %v", rep.Problems, err)
	}
	if missing := checkFiles(t, f.lib, l.SHA256); len(missing) != 0 {
		t.Fatalf("doctor --repair removed the logo: %v", missing)
	}

	bad := filepath.Join(t.TempDir(), "logo.png")
	write(t, bad, []byte("not a picture"))
	err = SetSetting(ctx, f.store, f.lib, db.SettingLogo, bad)
	if err == nil || !strings.Contains(err.Error(), "logo "+bad) {
		t.Fatalf("bad logo: %v", err)
	}
	if err := SetSetting(ctx, f.store, f.lib, db.SettingLogo, filepath.Join(t.TempDir(), "none.png")); err == nil {
		t.Fatal("a missing file was taken as a logo")
	}
	if now, _ := f.store.Setting(ctx, db.SettingLogo); now != v {
		t.Fatalf("a failed logo changed the setting to %q", now)
	}
	if err := SetSetting(ctx, f.store, f.lib, db.SettingLogo, ""); err != nil {
		t.Fatal(err)
	}
	if now, _ := f.store.Setting(ctx, db.SettingLogo); now != "" {
		t.Fatalf("cleared logo reads %q", now)
	}
	if err := SetSetting(ctx, f.store, f.lib, db.SettingAccent, "yellow"); !errors.Is(err, db.ErrInvalid) {
		t.Fatalf("other settings go to the store: %v", err)
	}
}
