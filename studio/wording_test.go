package studio

import (
	"context"
	"testing"

	"pinhole/db"
	"pinhole/db/dbtest"
)

// The default wordings are studio's: the store keeps only what the
// photographer typed, and an unset or cleared wording reads as the default
// in the settings and in the messages built from it.
func TestSetting_DefaultWording(t *testing.T) {
	ctx := context.Background()
	s := dbtest.Open(t, nil)
	for _, k := range []string{db.SettingStudioName, db.SettingTemplateLink, db.SettingTemplatePIN, db.SettingTemplateClient} {
		if v, err := s.Setting(ctx, k); err != nil || v != "" {
			t.Errorf("store's %s = %q, %v; want it empty until set", k, v, err)
		}
		if v, err := Setting(ctx, s, k); err != nil || v == "" || v != DefaultSetting(k) {
			t.Errorf("Setting(%s) = %q, %v; want the default wording", k, v, err)
		}
	}
	if v, _ := Setting(ctx, s, db.SettingStudioName); v != "Pinhole" {
		t.Errorf("default studio-name = %q, want Pinhole", v)
	}
	if v, _ := Setting(ctx, s, db.SettingBaseURL); v != "http://localhost:8080" {
		t.Errorf("base-url = %q: a setting without a wording reads as the store has it", v)
	}

	pin := "482917"
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("Smith wedding"), Access: new(db.PINAccess), PIN: &pin, Published: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	sh, err := ShareFor(ctx, s, Given{}, g)
	if err != nil {
		t.Fatal(err)
	}
	if want := "The PIN for your gallery \"Smith wedding\" is 482917. — Pinhole"; sh.PINMessage != want {
		t.Errorf("PIN message %q, want %q", sh.PINMessage, want)
	}
	if want := "Hello! Your photos from Smith wedding are ready: http://localhost:8080/g/" + g.Slug + "\nThe gallery is available until further notice.\n— Pinhole"; sh.LinkMessage != want {
		t.Errorf("link message %q, want %q", sh.LinkMessage, want)
	}

	if err := s.SetSetting(ctx, db.SettingStudioName, "Lumen Studio"); err != nil {
		t.Fatal(err)
	}
	if v, _ := Setting(ctx, s, db.SettingStudioName); v != "Lumen Studio" {
		t.Errorf("studio-name set: %q", v)
	}
	if err := s.SetSetting(ctx, db.SettingStudioName, ""); err != nil {
		t.Fatal(err)
	}
	if v, _ := Setting(ctx, s, db.SettingStudioName); v != "Pinhole" {
		t.Errorf("studio-name cleared: %q, want the default again", v)
	}
}
