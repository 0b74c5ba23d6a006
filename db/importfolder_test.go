package db_test

import (
	"context"
	"errors"
	"testing"

	"pinhole/db"
)

func TestStore_ImportFolder(t *testing.T) {
	s, _ := openStore(t)
	ctx := context.Background()
	g := mkGallery(t, s, "Smith wedding")
	if got, err := s.ImportFolder(ctx, g.Slug); err != nil || got != "" {
		t.Fatalf("before any import: %q, %v; want none", got, err)
	}
	for _, want := range []string{"/home/anna/Pictures/smith", "/mnt/card/DCIM"} {
		if err := s.SetImportFolder(ctx, g.Slug, want); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ImportFolder(ctx, g.Slug); err != nil || got != want {
			t.Fatalf("ImportFolder = %q, %v; want %q", got, err, want)
		}
	}
	if err := s.SetImportFolder(ctx, "no-such-gallery", "/tmp"); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("unknown gallery: %v, want not found", err)
	}
	if err := s.SetImportFolder(ctx, g.Slug, ""); !errors.Is(err, db.ErrInvalid) {
		t.Errorf("empty folder: %v, want invalid", err)
	}
	// It goes with its gallery.
	if _, err := s.DeleteGallery(ctx, g.Slug); err != nil {
		t.Fatal(err)
	}
	g = mkGallery(t, s, "Smith wedding")
	if got, err := s.ImportFolder(ctx, g.Slug); err != nil || got != "" {
		t.Errorf("a new gallery: %q, %v; want none", got, err)
	}
}
