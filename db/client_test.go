package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_CreateClient(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	raw := rawDB(t, s.Path())
	mkClient(t, s, "Taken", "TAKE-NABC-DEFG")

	tests := []struct {
		name     string
		in       db.ClientInput
		wantCode string // "" : generated
		wantErr  error
	}{
		{"generated code", db.ClientInput{Name: new("Anna")}, "", nil},
		{"empty code generates", db.ClientInput{Name: new("Ben"), Code: new("")}, "", nil},
		{"spaces and dashes generate", db.ClientInput{Name: new("Cleo"), Code: new(" - ")}, "", nil},
		{"chosen code normalised", db.ClientInput{Name: new(" Dora "), Code: new("abcd efgh-jkmn"), Note: new(" n ")}, "ABCDEFGHJKMN", nil},
		{"eight is enough", db.ClientInput{Name: new("Eve"), Code: new("2345-6789")}, "23456789", nil},
		{"no name", db.ClientInput{Code: new("ABCDEFGH")}, "", db.ErrInvalid},
		{"blank name", db.ClientInput{Name: new("  ")}, "", db.ErrInvalid},
		{"short code", db.ClientInput{Name: new("F"), Code: new("ABCD-EFG")}, "", db.ErrInvalid},
		{"look-alike letters", db.ClientInput{Name: new("G"), Code: new("HELLO-WORLD")}, "", db.ErrInvalid},
		{"zero and one", db.ClientInput{Name: new("H"), Code: new("ABCD-0123")}, "", db.ErrInvalid},
		{"too long", db.ClientInput{Name: new("I"), Code: new(strings.Repeat("A", 65))}, "", db.ErrInvalid},
		{"duplicate code", db.ClientInput{Name: new("J"), Code: new("TAKE-NABC-DEFG")}, "", db.ErrConflict},
		{"duplicate code typed differently", db.ClientInput{Name: new("K"), Code: new("take nabc defg")}, "", db.ErrConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := count(t, raw, "SELECT COUNT(*) FROM clients")
			c, err := s.CreateClient(ctx, tt.in)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("CreateClient: err = %v, want %v", err, tt.wantErr)
				}
				if got := count(t, raw, "SELECT COUNT(*) FROM clients"); got != before {
					t.Errorf("clients = %d, want %d", got, before)
				}
				return
			}
			if err != nil {
				t.Fatalf("CreateClient: %v", err)
			}
			if c.ID == 0 || c.Name != strings.TrimSpace(*tt.in.Name) || !c.CreatedAt.Equal(t0) || !c.LastSeenAt.IsZero() {
				t.Errorf("CreateClient = %+v", c)
			}
			if tt.in.Note != nil && c.Note != "n" {
				t.Errorf("Note = %q, want n", c.Note)
			}
			if tt.wantCode == "" {
				if len(c.Code) != 12 || db.ValidCode(c.Code) != nil {
					t.Errorf("generated Code = %q, want 12 valid characters", c.Code)
				}
			} else if c.Code != tt.wantCode {
				t.Errorf("Code = %q, want %q", c.Code, tt.wantCode)
			}
		})
	}
}

func mkClient(t *testing.T, s *db.Store, name, code string) db.Client {
	t.Helper()
	c, err := s.CreateClient(context.Background(), db.ClientInput{Name: new(name), Code: new(code)})
	if err != nil {
		t.Fatalf("CreateClient(%q): %v", name, err)
	}
	return c
}

func TestStore_ClientByCode(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	c := mkClient(t, s, "Anna", "K7QP-2MXD-9RTW")
	mkClient(t, s, "Other", "")
	tests := []struct {
		typed string
		want  error
	}{
		{"K7QP2MXD9RTW", nil},
		{"k7qp-2mxd-9rtw", nil},
		{" k7qp 2mxd 9rtw ", nil},
		{"K7-QP2M-XD9R-TW", nil},
		{"k7qp\t2mxd\n9rtw", nil},
		{"K7QP2MXD9RT", db.ErrNotFound},
		{"K7QP2MXD9RTWX", db.ErrNotFound},
		{"", db.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := s.ClientByCode(ctx, tt.typed)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("ClientByCode(%q): err = %v, want %v", tt.typed, err, tt.want)
			continue
		}
		if tt.want == nil && got.ID != c.ID {
			t.Errorf("ClientByCode(%q) = client %d, want %d", tt.typed, got.ID, c.ID)
		}
	}
}

func TestStore_Client(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	anna := mkClient(t, s, "Anna", "ABCD-EFGH-JKMN")
	// An all-digit code that is also a number: it is found as a code when no
	// client has that id.
	digits := mkClient(t, s, "Digits", "2345-6789")
	tests := []struct {
		ref    string
		wantID int64
		want   error
	}{
		{fmt.Sprint(anna.ID), anna.ID, nil},
		{fmt.Sprint(digits.ID), digits.ID, nil},
		{"abcd-efgh-jkmn", anna.ID, nil},
		{"23456789", digits.ID, nil},
		{"2345-6789", digits.ID, nil},
		{"999", 0, db.ErrNotFound},
		{"nobody", 0, db.ErrNotFound},
	}
	for _, tt := range tests {
		got, err := s.Client(ctx, tt.ref)
		if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
			t.Errorf("Client(%q): err = %v, want %v", tt.ref, err, tt.want)
			continue
		}
		if got.ID != tt.wantID {
			t.Errorf("Client(%q) = %d, want %d", tt.ref, got.ID, tt.wantID)
		}
	}
	if _, err := s.ClientByID(ctx, 999); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("ClientByID(999): err = %v, want ErrNotFound", err)
	}
}

func TestStore_UpdateClient(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	c := mkClient(t, s, "Anna", "ABCD-EFGH-JKMN")
	other := mkClient(t, s, "Ben", "BBBB-CCCC")

	got, err := s.UpdateClient(ctx, c.ID, db.ClientInput{Name: new("Anna Smith"), Note: new("bride")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Anna Smith" || got.Note != "bride" || got.Code != c.Code {
		t.Errorf("UpdateClient = %+v", got)
	}
	got, err = s.UpdateClient(ctx, c.ID, db.ClientInput{Code: new("zzzz-yyyy")})
	if err != nil || got.Code != "ZZZZYYYY" {
		t.Errorf("UpdateClient(code) = %q, %v, want ZZZZYYYY", got.Code, err)
	}
	for _, tt := range []struct {
		name string
		in   db.ClientInput
		want error
	}{
		{"taken code", db.ClientInput{Code: new(other.Code)}, db.ErrConflict},
		{"short code", db.ClientInput{Code: new("ABC")}, db.ErrInvalid},
		{"blank name", db.ClientInput{Name: new(" ")}, db.ErrInvalid},
	} {
		if _, err := s.UpdateClient(ctx, c.ID, tt.in); !errors.Is(err, tt.want) {
			t.Errorf("UpdateClient(%s): err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if after, _ := s.ClientByID(ctx, c.ID); after.Code != "ZZZZYYYY" || after.Name != "Anna Smith" {
		t.Errorf("after failed updates: %+v", after)
	}
	if _, err := s.UpdateClient(ctx, 999, db.ClientInput{Name: new("x")}); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("UpdateClient(999): err = %v, want ErrNotFound", err)
	}
}

func TestStore_Clients(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	g := mkGallery(t, s, "G")
	mkClient(t, s, "carl", "")
	anna := mkClient(t, s, "Anna", "")
	mkClient(t, s, "ben", "")
	if err := s.Grant(ctx, anna.ID, g.Slug); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Hour)
	if err := s.TouchClient(ctx, anna.ID); err != nil {
		t.Fatal(err)
	}
	list, err := s.Clients(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range list {
		names = append(names, c.Name)
		if c.Name == "Anna" {
			if !equal(c.Galleries, []string{g.Slug}) || !c.LastSeenAt.Equal(t0.Add(time.Hour)) {
				t.Errorf("Anna = %+v", c)
			}
		}
	}
	if want := []string{"Anna", "ben", "carl"}; !equal(names, want) {
		t.Errorf("Clients = %v, want %v", names, want)
	}
}

func TestStore_Grant(t *testing.T) {
	ctx := context.Background()
	s, clk := openStore(t)
	a := mkGallery(t, s, "A")
	b := mkGallery(t, s, "B")
	c := mkGallery(t, s, "C")
	cl := mkClient(t, s, "Anna", "")

	granted := func() []string {
		t.Helper()
		got, err := s.ClientByID(ctx, cl.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Galleries
	}

	if err := s.Grant(ctx, cl.ID, b.Slug); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Second)
	if err := s.Grant(ctx, cl.ID, a.Slug, b.Slug); err != nil {
		t.Fatalf("Grant again: %v", err)
	}
	if got, want := granted(), []string{b.Slug, a.Slug}; !equal(got, want) {
		t.Errorf("Galleries = %v, want in grant order %v", got, want)
	}

	tests := []struct {
		name   string
		fn     func() error
		want   error
		wantGs []string
	}{
		{"grant with an unknown slug grants nothing", func() error { return s.Grant(ctx, cl.ID, c.Slug, "nope") }, db.ErrNotFound, []string{b.Slug, a.Slug}},
		{"revoke with an unknown slug revokes nothing", func() error { return s.Revoke(ctx, cl.ID, a.Slug, "nope") }, db.ErrNotFound, []string{b.Slug, a.Slug}},
		{"grant to an unknown client", func() error { return s.Grant(ctx, 999, c.Slug) }, db.ErrNotFound, []string{b.Slug, a.Slug}},
		{"revoke", func() error { return s.Revoke(ctx, cl.ID, b.Slug, c.Slug) }, nil, []string{a.Slug}},
		{"revoke all", func() error { return s.Revoke(ctx, cl.ID, a.Slug) }, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.fn()
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if got := granted(); !equal(got, tt.wantGs) {
				t.Errorf("Galleries = %v, want %v", got, tt.wantGs)
			}
		})
	}
	raw := rawDB(t, s.Path())
	if n := count(t, raw, "SELECT COUNT(*) FROM client_galleries WHERE client_id = 999"); n != 0 {
		t.Errorf("grants of an unknown client = %d", n)
	}
}

func TestStore_ClientGalleries(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	parent := mkGallery(t, s, "Wedding", func(in *db.GalleryInput) { in.EventDate = new("2030-05-01") })
	kid := mkGallery(t, s, "Ceremony", withParent(parent.Slug))
	alone := mkGallery(t, s, "Portraits", func(in *db.GalleryInput) { in.EventDate = new("2030-06-01") })
	lonelyParent := mkGallery(t, s, "Family")
	lonelyKid := mkGallery(t, s, "Kids", withParent(lonelyParent.Slug))
	notMine := mkGallery(t, s, "Someone else")
	anna := mkClient(t, s, "Anna", "")
	nobody := mkClient(t, s, "Nobody", "")
	if err := s.Grant(ctx, anna.ID, parent.Slug, alone.Slug, lonelyKid.Slug); err != nil {
		t.Fatal(err)
	}

	got, err := s.ClientGalleries(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, g := range got {
		have[g.Slug] = true
	}
	for _, g := range []db.Gallery{parent, kid, alone, lonelyKid} {
		if !have[g.Slug] {
			t.Errorf("ClientGalleries lacks %q", g.Title)
		}
	}
	for _, g := range []db.Gallery{lonelyParent, notMine} {
		if have[g.Slug] {
			t.Errorf("ClientGalleries has %q, which was not granted", g.Title)
		}
	}
	if len(got) != 4 {
		t.Errorf("ClientGalleries = %v, want 4 galleries", slugsOf(got))
	}
	if got, _ := s.ClientGalleries(ctx, nobody.ID); len(got) != 0 {
		t.Errorf("ClientGalleries(nobody) = %v", slugsOf(got))
	}

	// What a grant opens is decided in studio (Decide); the store gives
	// the grants by slug and by id, in the same order.
	cl, err := s.ClientByID(ctx, anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(cl.GalleryIDs) != len(cl.Galleries) {
		t.Fatalf("GalleryIDs %v beside Galleries %v", cl.GalleryIDs, cl.Galleries)
	}
	for i, id := range cl.GalleryIDs {
		g, err := s.GalleryByID(ctx, id)
		if err != nil || g.Slug != cl.Galleries[i] {
			t.Errorf("grant %d: id %d is %q, want %q (%v)", i, id, g.Slug, cl.Galleries[i], err)
		}
	}
}

func TestStore_DeleteClient(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	raw := rawDB(t, s.Path())
	g := mkGallery(t, s, "G")
	p := mkPhoto(t, s, g.ID, "a.jpg", "aa", time.Time{})
	c := mkClient(t, s, "Anna", "")
	if err := s.Grant(ctx, c.ID, g.Slug); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.CreateSession(ctx, db.Session{ClientID: c.ID, ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	_, l, err := s.CreatePickList(ctx, db.PickList{GalleryID: g.ID, ClientID: c.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPick(ctx, l.ID, p.ID, true, false); err != nil {
		t.Fatal(err)
	}
	if err := s.AddEvent(ctx, db.Event{GalleryID: g.ID, ClientID: c.ID, Kind: db.EventView}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteClient(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT COUNT(*) FROM clients",
		"SELECT COUNT(*) FROM client_galleries",
		"SELECT COUNT(*) FROM sessions",
		"SELECT COUNT(*) FROM favourites",
		"SELECT COUNT(*) FROM events WHERE client_id IS NOT NULL",
	} {
		if n := count(t, raw, q); n != 0 {
			t.Errorf("%s = %d, want 0", q, n)
		}
	}
	if n := count(t, raw, "SELECT COUNT(*) FROM events"); n != 1 {
		t.Errorf("events = %d, want 1 (kept, without the client)", n)
	}
	if err := s.DeleteClient(ctx, c.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("DeleteClient twice: err = %v, want ErrNotFound", err)
	}
}
