package db_test

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_DeleteGallery(t *testing.T) {
	ctx := context.Background()
	type fixture struct {
		s                  *db.Store
		parent, kid, other db.Gallery
	}
	// setup makes a parent with a sub-gallery and an unrelated gallery, each
	// with photos, a grant, a session, a favourite and an event.
	setup := func(t *testing.T) fixture {
		s, _ := openStore(t)
		f := fixture{s: s}
		f.parent = mkGallery(t, s, "Wedding")
		f.kid = mkGallery(t, s, "Ceremony", withParent(f.parent.Slug))
		f.other = mkGallery(t, s, "Portraits")
		cl := mkClient(t, s, "Anna", "")
		photos := map[int64][]string{
			f.parent.ID: {"parent-only", "parent-and-kid", "parent-and-other"},
			f.kid.ID:    {"kid-only", "parent-and-kid", "kid-and-other"},
			f.other.ID:  {"other-only", "parent-and-other", "kid-and-other"},
		}
		for _, g := range []db.Gallery{f.parent, f.kid, f.other} {
			var first db.Photo
			for i, sha := range photos[g.ID] {
				p := mkPhoto(t, s, g.ID, sha+".jpg", sha, time.Time{})
				if i == 0 {
					first = p
				}
			}
			if _, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{CoverID: new(first.ID)}, false); err != nil {
				t.Fatal(err)
			}
			if err := s.Grant(ctx, cl.ID, g.Slug); err != nil {
				t.Fatal(err)
			}
			_, sess, err := s.CreateSession(ctx, db.Session{GalleryID: g.ID, ExpiresAt: t0.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range []db.PickList{{GalleryID: g.ID, Name: "Ben"}, {GalleryID: g.ID, ClientID: cl.ID}} {
				_, l, err := s.CreatePickList(ctx, l)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.SetPick(ctx, l.ID, first.ID, true, false); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.AddEvent(ctx, db.Event{GalleryID: g.ID, PhotoID: first.ID, SessionID: sess.ID, Kind: db.EventFavourite}); err != nil {
				t.Fatal(err)
			}
		}
		return f
	}

	tests := []struct {
		name        string
		del         func(f fixture) db.Gallery
		wantOrphans []string
		gone, kept  func(f fixture) []db.Gallery
	}{
		{
			name:        "parent with sub-gallery",
			del:         func(f fixture) db.Gallery { return f.parent },
			wantOrphans: []string{"kid-only", "parent-and-kid", "parent-only"},
			gone:        func(f fixture) []db.Gallery { return []db.Gallery{f.parent, f.kid} },
			kept:        func(f fixture) []db.Gallery { return []db.Gallery{f.other} },
		},
		{
			name:        "sub-gallery only",
			del:         func(f fixture) db.Gallery { return f.kid },
			wantOrphans: []string{"kid-only"},
			gone:        func(f fixture) []db.Gallery { return []db.Gallery{f.kid} },
			kept:        func(f fixture) []db.Gallery { return []db.Gallery{f.parent, f.other} },
		},
		{
			name:        "unrelated gallery",
			del:         func(f fixture) db.Gallery { return f.other },
			wantOrphans: []string{"other-only"},
			gone:        func(f fixture) []db.Gallery { return []db.Gallery{f.other} },
			kept:        func(f fixture) []db.Gallery { return []db.Gallery{f.parent, f.kid} },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := setup(t)
			raw := rawDB(t, f.s.Path())
			rowsOf := func(g db.Gallery) map[string]int {
				return map[string]int{
					"galleries":        count(t, raw, "SELECT COUNT(*) FROM galleries WHERE id = ?", g.ID),
					"photos":           count(t, raw, "SELECT COUNT(*) FROM photos WHERE gallery_id = ?", g.ID),
					"client_galleries": count(t, raw, "SELECT COUNT(*) FROM client_galleries WHERE gallery_id = ?", g.ID),
					"sessions":         count(t, raw, "SELECT COUNT(*) FROM sessions WHERE gallery_id = ?", g.ID),
					"favourites":       count(t, raw, "SELECT COUNT(*) FROM favourites f JOIN photos p ON p.id = f.photo_id WHERE p.gallery_id = ?", g.ID),
					"events":           count(t, raw, "SELECT COUNT(*) FROM events WHERE gallery_id = ?", g.ID),
				}
			}
			keptBefore := map[int64]map[string]int{}
			for _, g := range tt.kept(f) {
				keptBefore[g.ID] = rowsOf(g)
			}

			orphans, err := f.s.DeleteGallery(ctx, tt.del(f).Slug)
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(orphans)
			if !equal(orphans, tt.wantOrphans) {
				t.Errorf("DeleteGallery = %v, want %v", orphans, tt.wantOrphans)
			}
			for _, g := range tt.gone(f) {
				for table, n := range rowsOf(g) {
					if n != 0 {
						t.Errorf("%s of deleted %q: %d rows left", table, g.Title, n)
					}
				}
				if _, err := f.s.Gallery(ctx, g.Slug); !errors.Is(err, db.ErrNotFound) {
					t.Errorf("Gallery(%q) after delete: err = %v, want ErrNotFound", g.Title, err)
				}
			}
			for _, g := range tt.kept(f) {
				if got, want := rowsOf(g), keptBefore[g.ID]; !equalMaps(got, want) {
					t.Errorf("rows of kept %q = %v, want %v", g.Title, got, want)
				}
			}
			// No row anywhere still points at a deleted gallery or photo.
			for _, q := range []string{
				"SELECT COUNT(*) FROM photos WHERE gallery_id NOT IN (SELECT id FROM galleries)",
				"SELECT COUNT(*) FROM favourites WHERE photo_id NOT IN (SELECT id FROM photos)",
				"SELECT COUNT(*) FROM sessions WHERE gallery_id NOT IN (SELECT id FROM galleries)",
				"SELECT COUNT(*) FROM galleries WHERE parent_id NOT IN (SELECT id FROM galleries)",
				"SELECT COUNT(*) FROM events WHERE photo_id NOT IN (SELECT id FROM photos)",
			} {
				if n := count(t, raw, q); n != 0 {
					t.Errorf("%s = %d", q, n)
				}
			}
			var fk int
			if rows, err := raw.Query("PRAGMA foreign_key_check"); err != nil {
				t.Fatal(err)
			} else {
				for rows.Next() {
					fk++
				}
				rows.Close()
			}
			if fk != 0 {
				t.Errorf("foreign_key_check: %d violations", fk)
			}
			// The client and its other grants stay.
			if n := count(t, raw, "SELECT COUNT(*) FROM clients"); n != 1 {
				t.Errorf("clients = %d, want 1", n)
			}
		})
	}

	t.Run("unknown", func(t *testing.T) {
		s, _ := openStore(t)
		orphans, err := s.DeleteGallery(ctx, "no-such-gallery")
		if !errors.Is(err, db.ErrNotFound) || len(orphans) != 0 {
			t.Errorf("DeleteGallery(unknown) = %v, %v, want ErrNotFound", orphans, err)
		}
	})
}

func equalMaps[K, V comparable](a, b map[K]V) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
