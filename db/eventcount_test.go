package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

// TestStore_FoldEvents: events past the retention period become daily
// counts; the gallery's totals and last visit stay what they were.
func TestStore_FoldEvents(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	a := mkGallery(t, s, "Alpha")
	old := t0.Add(-500 * 24 * time.Hour)
	for i := range 30 {
		for _, k := range []string{db.EventView, db.EventZIP, db.EventPINFail} {
			if err := s.AddEvent(ctx, db.Event{GalleryID: a.ID, Kind: k, At: old.Add(time.Duration(i) * 3 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.AddEvent(ctx, db.Event{Kind: db.EventLoginFail, At: old}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddEvent(ctx, db.Event{GalleryID: a.ID, Kind: db.EventView, At: t0.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	// Counted without rows: three anonymous views this hour.
	hour := t0.Truncate(time.Hour)
	if err := s.AddCounts(ctx, []db.Count{{GalleryID: a.ID, Kind: db.EventView, Start: hour, N: 3, Last: t0}}); err != nil {
		t.Fatal(err)
	}
	clk.Set(t0.Add(time.Minute))
	before, err := s.GalleryStats(ctx, a.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if before.Opened != 34 || before.Downloads != 30 || before.PINFails != 30 || !before.LastVisit.Equal(t0) {
		t.Fatalf("stats before folding = %+v", before)
	}
	n, err := s.FoldEvents(ctx, t0.Add(-400*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if n != 91 {
		t.Errorf("FoldEvents folded %d events, want 91", n)
	}
	after, err := s.GalleryStats(ctx, a.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("stats after folding = %+v, want %+v", after, before)
	}
	recent, err := s.GalleryStats(ctx, a.ID, t0.Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if recent.Opened != 4 || recent.Downloads != 0 {
		t.Errorf("recent stats = %+v, want 4 opened", recent)
	}
	evs, err := s.Events(ctx, db.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Errorf("%d events left, want the recent one", len(evs))
	}
	// Folding again changes nothing.
	if _, err := s.FoldEvents(ctx, t0.Add(-400*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.GalleryStats(ctx, a.ID, time.Time{}); again != before {
		t.Errorf("stats after folding twice = %+v", again)
	}
	ov, err := s.GalleryOverviews(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !ov[a.ID].LastVisit.Equal(t0) {
		t.Errorf("overview last visit = %v, want %v", ov[a.ID].LastVisit, t0)
	}
	// Deleting the gallery takes its counts along.
	if _, err := s.DeleteGallery(ctx, a.Slug); err != nil {
		t.Fatal(err)
	}
	if err := s.AddCounts(ctx, []db.Count{{GalleryID: a.ID, Kind: db.EventView, Start: hour, N: 1, Last: t0}}); err != nil {
		t.Errorf("counts of a deleted gallery: %v", err)
	}
}

// TestStore_SessionEventSinceIndexed: "opened today by this session" reads
// one index entry, not the gallery's events of the day.
func TestStore_SessionEventSinceIndexed(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	raw := rawDB(t, s.Path())
	var plan strings.Builder
	rows, err := raw.QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT EXISTS (SELECT 1 FROM events WHERE session_id = 1 AND gallery_id = 1 AND kind = 'view' AND at >= 0)`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(detail + "\n")
	}
	if !strings.Contains(plan.String(), "USING COVERING INDEX events_session") {
		t.Errorf("plan does not use the events_session index:\n%s", plan.String())
	}
}

func TestStore_EventRetention(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	d, err := s.EventRetention(ctx)
	if err != nil || d < 365*24*time.Hour {
		t.Fatalf("default retention = %v, %v; want at least a year", d, err)
	}
	if err := s.SetSetting(ctx, db.SettingEventRetention, "30d"); err != nil {
		t.Fatal(err)
	}
	if d, _ := s.EventRetention(ctx); d != 30*24*time.Hour {
		t.Errorf("retention = %v, want 30 days", d)
	}
	for _, bad := range []string{"soon", "-3d", "1h", "3x"} {
		if err := s.SetSetting(ctx, db.SettingEventRetention, bad); !errors.Is(err, db.ErrInvalid) {
			t.Errorf("SetSetting(%q) = %v, want invalid", bad, err)
		}
	}
	if d, _ := s.EventRetention(ctx); d != 30*24*time.Hour {
		t.Errorf("retention after bad input = %v, want 30 days kept", d)
	}
}
