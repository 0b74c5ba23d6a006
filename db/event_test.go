package db_test

import (
	"context"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_Events(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	a := mkGallery(t, s, "Alpha")
	b := mkGallery(t, s, "Beta")
	p := mkPhoto(t, s, a.ID, "IMG_1.jpg", "aa", time.Time{})
	c := mkClient(t, s, "Anna", "")

	add := func(e db.Event) {
		t.Helper()
		if err := s.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
		clk.Add(time.Minute)
	}
	add(db.Event{GalleryID: a.ID, Kind: db.EventView, Address: "10.0.0.1"})                         // 1 at t0
	add(db.Event{GalleryID: a.ID, Kind: db.EventPINFail, Address: "10.0.0.2"})                      // 2
	add(db.Event{GalleryID: a.ID, PhotoID: p.ID, ClientID: c.ID, Kind: db.EventDownload})           // 3
	add(db.Event{GalleryID: b.ID, Kind: db.EventView, Visitor: "Ben"})                              // 4
	add(db.Event{ClientID: c.ID, Kind: db.EventLogin})                                              // 5
	add(db.Event{GalleryID: a.ID, Kind: db.EventZIP, Detail: "favourites", At: t0.Add(-time.Hour)}) // 6, dated earlier

	ids := func(es []db.Event) []int64 {
		out := []int64{}
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	tests := []struct {
		name string
		f    db.EventFilter
		want []int64
	}{
		{"all", db.EventFilter{}, []int64{1, 2, 3, 4, 5, 6}},
		{"gallery", db.EventFilter{GalleryID: a.ID}, []int64{1, 2, 3, 6}},
		{"client", db.EventFilter{ClientID: c.ID}, []int64{3, 5}},
		{"kind", db.EventFilter{Kind: db.EventView}, []int64{1, 4}},
		{"gallery and kind", db.EventFilter{GalleryID: a.ID, Kind: db.EventView}, []int64{1}},
		{"since", db.EventFilter{Since: t0.Add(2 * time.Minute)}, []int64{3, 4, 5}},
		{"after id", db.EventFilter{AfterID: 4}, []int64{5, 6}},
		{"after the last", db.EventFilter{AfterID: 6}, []int64{}},
		{"after id, limited: the first ones after it", db.EventFilter{AfterID: 2, Limit: 2}, []int64{3, 4}},
		{"limit is the newest, oldest first", db.EventFilter{Limit: 2}, []int64{5, 6}},
		{"limit with filter", db.EventFilter{GalleryID: a.ID, Limit: 3}, []int64{2, 3, 6}},
		{"nothing", db.EventFilter{GalleryID: 999}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.Events(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if g := ids(got); !equal(g, tt.want) {
				t.Errorf("Events(%+v) = %v, want %v", tt.f, g, tt.want)
			}
		})
	}

	all, err := s.Events(ctx, db.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	e := all[2]
	if e.GallerySlug != a.Slug || e.GalleryTitle != "Alpha" || e.ClientName != "Anna" || e.PhotoName != "IMG_1.jpg" ||
		e.PhotoID != p.ID || e.ClientID != c.ID || !e.At.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("event 3 = %+v", e)
	}
	if got := all[5]; !got.At.Equal(t0.Add(-time.Hour)) || got.Detail != "favourites" {
		t.Errorf("event 6 = %+v, want its own time and detail", got)
	}
	whos := []string{}
	for _, e := range all {
		whos = append(whos, e.Who())
	}
	if want := []string{"10.0.0.1", "10.0.0.2", "Anna", "Ben", "Anna", "someone"}; !equal(whos, want) {
		t.Errorf("Who = %v, want %v", whos, want)
	}
}

func TestStore_GalleryStats(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "G")
	other := mkGallery(t, s, "Other")
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	for _, e := range []db.Event{
		{GalleryID: g.ID, Kind: db.EventView, At: at(0)},
		{GalleryID: g.ID, Kind: db.EventView, At: at(10)},
		{GalleryID: g.ID, Kind: db.EventView, At: at(20)},
		{GalleryID: g.ID, Kind: db.EventDownload, At: at(11)},
		{GalleryID: g.ID, Kind: db.EventZIP, At: at(12)},
		{GalleryID: g.ID, Kind: db.EventDownload, At: at(1)},
		{GalleryID: g.ID, Kind: db.EventPINFail, At: at(2)},
		{GalleryID: g.ID, Kind: db.EventPINFail, At: at(13)},
		{GalleryID: g.ID, Kind: db.EventPINOK, At: at(14)},
		{GalleryID: other.ID, Kind: db.EventView, At: at(30)},
		{GalleryID: other.ID, Kind: db.EventDownload, At: at(30)},
	} {
		if err := s.AddEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		gallery int64
		since   time.Time
		want    db.Stats
	}{
		{"all time", g.ID, time.Time{}, db.Stats{Opened: 3, Downloads: 3, PINFails: 2, LastVisit: at(20)}},
		{"since 10 minutes", g.ID, at(10), db.Stats{Opened: 2, Downloads: 2, PINFails: 1, LastVisit: at(20)}},
		{"since later", g.ID, at(25), db.Stats{LastVisit: at(20)}},
		{"no events", 999, time.Time{}, db.Stats{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.GalleryStats(ctx, tt.gallery, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if got.Opened != tt.want.Opened || got.Downloads != tt.want.Downloads || got.PINFails != tt.want.PINFails ||
				!got.LastVisit.Equal(tt.want.LastVisit) {
				t.Errorf("GalleryStats = %+v, want %+v", got, tt.want)
			}
		})
	}
}
