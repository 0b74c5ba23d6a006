package db_test

import (
	"context"
	"testing"

	"pinhole/db"
)

// TestStore_PINVersionUnique: a pin_version is never shared by two
// galleries, at creation or after a PIN change, so that a PIN session
// (gallery where the PIN was typed, version) matches only the gallery
// whose PIN it was.
func TestStore_PINVersionUnique(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	seen := map[int]string{}
	add := func(g db.Gallery) {
		t.Helper()
		if other, ok := seen[g.PINVersion]; ok && other != g.Slug {
			t.Fatalf("pin_version %d of %s is also %s's", g.PINVersion, g.Slug, other)
		}
		seen[g.PINVersion] = g.Slug
	}
	a := mkGallery(t, s, "A", func(in *db.GalleryInput) { in.PIN = new("1111") })
	b := mkGallery(t, s, "B", func(in *db.GalleryInput) { in.PIN = new("2222") })
	add(a)
	add(b)
	for i := range 5 {
		for _, g := range []db.Gallery{a, b} {
			next, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{}, true)
			if err != nil {
				t.Fatal(err)
			}
			add(next)
			add(mkGallery(t, s, "new", func(in *db.GalleryInput) { in.PIN = new("3333") }))
			_ = i
		}
	}
}
