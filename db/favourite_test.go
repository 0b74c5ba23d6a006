package db_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_SetFavourite(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "G")
	other := mkGallery(t, s, "Other")
	p1 := mkPhoto(t, s, g.ID, "1.jpg", "11", time.Date(2030, 1, 1, 1, 0, 0, 0, time.UTC))
	p2 := mkPhoto(t, s, g.ID, "2.jpg", "22", time.Date(2030, 1, 1, 2, 0, 0, 0, time.UTC))
	po := mkPhoto(t, s, other.ID, "o.jpg", "oo", time.Time{})
	anna := mkClient(t, s, "Anna", "")

	picked := func(o db.Owner) []int64 {
		t.Helper()
		m, err := s.OwnerFavourites(ctx, g.ID, o)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, p := range []int64{p1.ID, p2.ID} {
			if m[p] {
				out = append(out, p)
			}
		}
		return out
	}
	steps := []struct {
		name  string
		photo int64
		owner db.Owner
		on    bool
		want  error
		// what each owner has picked afterwards
		wantName, wantClient []int64
	}{
		{"name sets", p1.ID, db.Owner{Name: "Anna"}, true, nil, []int64{p1.ID}, []int64{}},
		{"same name other case", p2.ID, db.Owner{Name: " ANNA "}, true, nil, []int64{p1.ID, p2.ID}, []int64{}},
		{"twice is once", p2.ID, db.Owner{Name: "anna"}, true, nil, []int64{p1.ID, p2.ID}, []int64{}},
		{"client is another owner", p2.ID, db.Owner{ClientID: anna.ID, Name: "Anna"}, true, nil, []int64{p1.ID, p2.ID}, []int64{p2.ID}},
		{"toggle off by name any case", p1.ID, db.Owner{Name: "aNNa"}, false, nil, []int64{p2.ID}, []int64{p2.ID}},
		{"off when not set", p1.ID, db.Owner{Name: "anna"}, false, nil, []int64{p2.ID}, []int64{p2.ID}},
		{"client off", p2.ID, db.Owner{ClientID: anna.ID}, false, nil, []int64{p2.ID}, []int64{}},
		{"photo of another gallery", po.ID, db.Owner{Name: "anna"}, true, db.ErrNotFound, []int64{p2.ID}, []int64{}},
		{"missing photo", 999, db.Owner{Name: "anna"}, true, db.ErrNotFound, []int64{p2.ID}, []int64{}},
		{"no owner", p1.ID, db.Owner{Name: "  "}, true, db.ErrInvalid, []int64{p2.ID}, []int64{}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := s.SetFavourite(ctx, g.ID, st.photo, st.owner, 0, st.on)
			if !errors.Is(err, st.want) || (st.want == nil && err != nil) {
				t.Fatalf("SetFavourite: err = %v, want %v", err, st.want)
			}
			if got := picked(db.Owner{Name: "Anna"}); !equal(got, st.wantName) {
				t.Errorf("name Anna picked %v, want %v", got, st.wantName)
			}
			if got := picked(db.Owner{ClientID: anna.ID}); !equal(got, st.wantClient) {
				t.Errorf("client Anna picked %v, want %v", got, st.wantClient)
			}
		})
	}
	if m, err := s.OwnerFavourites(ctx, g.ID, db.Owner{}); err != nil || len(m) != 0 {
		t.Errorf("OwnerFavourites(no owner) = %v, %v, want empty", m, err)
	}
	if m, err := s.OwnerFavourites(ctx, other.ID, db.Owner{Name: "anna"}); err != nil || len(m) != 0 {
		t.Errorf("OwnerFavourites(other gallery) = %v, %v, want empty", m, err)
	}
}

func TestStore_Favourites(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "G")
	other := mkGallery(t, s, "Other")
	late := mkPhoto(t, s, g.ID, "late.jpg", "l", time.Date(2030, 1, 1, 9, 0, 0, 0, time.UTC))
	early := mkPhoto(t, s, g.ID, "early.jpg", "e", time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC))
	po := mkPhoto(t, s, other.ID, "o.jpg", "o", time.Time{})
	cl := mkClient(t, s, "Carla Client", "")
	tok, sess, err := s.CreateSession(ctx, db.Session{GalleryID: g.ID, ExpiresAt: t0.Add(time.Hour)})
	if err != nil || tok == "" {
		t.Fatal(err)
	}
	for _, f := range []struct {
		gallery, photo int64
		o              db.Owner
	}{
		{g.ID, late.ID, db.Owner{Name: "Zoe"}},
		{g.ID, late.ID, db.Owner{Name: "Ben"}},
		{g.ID, early.ID, db.Owner{Name: "ben"}}, // same person
		{g.ID, early.ID, db.Owner{ClientID: cl.ID}},
		{other.ID, po.ID, db.Owner{Name: "Ben"}},
	} {
		if err := s.SetFavourite(ctx, f.gallery, f.photo, f.o, sess.ID, true); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Favourites(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		person, file string
		client       int64
	}
	var rows []row
	for _, f := range got {
		// Each pick keeps the spelling given with it; the person is the same.
		rows = append(rows, row{strings.ToLower(f.Person), f.Filename, f.ClientID})
	}
	want := []row{
		{"carla client", "early.jpg", cl.ID},
		{"ben", "early.jpg", 0},
		{"ben", "late.jpg", 0},
		{"zoe", "late.jpg", 0},
	}
	if !equal(rows, want) {
		t.Errorf("Favourites = %v, want %v", rows, want)
	}
}
