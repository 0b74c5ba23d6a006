package db_test

import (
	"context"
	"testing"
	"time"

	"pinhole/db"
)

// TestStore_GalleryOverviewsHistory: the galleries list's "last visit" is
// the latest view, whatever else happened, and reading it does not walk
// the history: 200,000 events later it costs about what it did before.
func TestStore_GalleryOverviewsHistory(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	a, b := mkGallery(t, s, "A"), mkGallery(t, s, "B")
	mkGallery(t, s, "Never opened")
	raw := rawDB(t, s.Path())
	add := func(g db.Gallery, kind string, at time.Time) {
		if _, err := raw.Exec("INSERT INTO events (gallery_id, kind, at) VALUES (?, ?, ?)", g.ID, kind, at.Unix()); err != nil {
			t.Fatal(err)
		}
	}
	add(a, db.EventView, t0.Add(-3*time.Hour))
	add(a, db.EventView, t0.Add(-time.Hour))
	add(a, db.EventDownload, t0)
	add(b, db.EventView, t0.Add(-48*time.Hour))
	fastest := func() time.Duration {
		best := time.Hour
		for range 5 {
			start := time.Now()
			ov, err := s.GalleryOverviews(ctx)
			best = min(best, time.Since(start))
			if err != nil {
				t.Fatal(err)
			}
			if len(ov) != 2 || !ov[a.ID].LastVisit.Equal(t0.Add(-time.Hour)) || !ov[b.ID].LastVisit.Equal(t0.Add(-48*time.Hour)) {
				t.Fatalf("overviews %v, want A's last view an hour ago, B's two days ago, none for the third", ov)
			}
		}
		return best
	}
	before := fastest()

	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200_000 {
		g, kind := a, db.EventDownload
		if i%2 == 1 {
			g, kind = b, db.EventFavourite
		}
		if _, err := tx.Exec("INSERT INTO events (gallery_id, kind, at) VALUES (?, ?, ?)", g.ID, kind, t0.Add(-time.Duration(i)*time.Second).Unix()); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	after := fastest()
	t.Logf("overviews: %v before, %v after 200,000 events", before, after)
	if after > 10*before+5*time.Millisecond {
		t.Errorf("overviews took %v after 200,000 events, %v before: they walk the history", after, before)
	}
}
