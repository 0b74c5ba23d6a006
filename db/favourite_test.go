package db_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pinhole/db"
)

func TestStore_SetPick(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "G")
	other := mkGallery(t, s, "Other")
	p1 := mkPhoto(t, s, g.ID, "1.jpg", "11", time.Date(2030, 1, 1, 1, 0, 0, 0, time.UTC))
	p2 := mkPhoto(t, s, g.ID, "2.jpg", "22", time.Date(2030, 1, 1, 2, 0, 0, 0, time.UTC))
	po := mkPhoto(t, s, other.ID, "o.jpg", "oo", time.Time{})
	cl := mkClient(t, s, "Anna", "")

	newList := func(l db.PickList) (string, db.PickList) {
		t.Helper()
		tok, l, err := s.CreatePickList(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		return tok, l
	}
	tok1, anna1 := newList(db.PickList{GalleryID: g.ID, Name: "Anna"})
	tok2, anna2 := newList(db.PickList{GalleryID: g.ID, Name: " anna "})
	ctok, client := newList(db.PickList{GalleryID: g.ID, ClientID: cl.ID})
	if tok1 == "" || tok2 == "" || tok1 == tok2 || ctok != "" || anna1.ID == anna2.ID {
		t.Fatalf("tokens %q %q %q, lists %d %d: want two browser lists with their own tokens and none for the client", tok1, tok2, ctok, anna1.ID, anna2.ID)
	}
	if _, again := newList(db.PickList{GalleryID: g.ID, ClientID: cl.ID}); again.ID != client.ID || again.Name != "Anna" {
		t.Errorf("a client's second list = %+v, want its one list %d named Anna", again, client.ID)
	}
	if _, _, err := s.CreatePickList(ctx, db.PickList{GalleryID: g.ID, Name: "  "}); !errors.Is(err, db.ErrInvalid) {
		t.Errorf("a list without a name: err = %v, want ErrInvalid", err)
	}

	picked := func(l db.PickList) []int64 {
		t.Helper()
		m, err := s.Picks(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		out := []int64{}
		for _, p := range []int64{p1.ID, p2.ID, po.ID} {
			if m[p] {
				out = append(out, p)
			}
		}
		return out
	}
	steps := []struct {
		name  string
		list  db.PickList
		photo int64
		on    bool
		want  error
		// what each list holds afterwards
		want1, want2, wantClient []int64
	}{
		{"first Anna picks", anna1, p1.ID, true, nil, []int64{p1.ID}, []int64{}, []int64{}},
		{"second Anna is another list", anna2, p2.ID, true, nil, []int64{p1.ID}, []int64{p2.ID}, []int64{}},
		{"twice is once", anna2, p2.ID, true, nil, []int64{p1.ID}, []int64{p2.ID}, []int64{}},
		{"second Anna clears what she never picked", anna2, p1.ID, false, nil, []int64{p1.ID}, []int64{p2.ID}, []int64{}},
		{"client is another list", client, p1.ID, true, nil, []int64{p1.ID}, []int64{p2.ID}, []int64{p1.ID}},
		{"toggle off", anna1, p1.ID, false, nil, []int64{}, []int64{p2.ID}, []int64{p1.ID}},
		{"photo of another gallery", anna1, po.ID, true, db.ErrNotFound, []int64{}, []int64{p2.ID}, []int64{p1.ID}},
		{"missing photo", anna1, 999, true, db.ErrNotFound, []int64{}, []int64{p2.ID}, []int64{p1.ID}},
		{"missing list", db.PickList{ID: 999}, p1.ID, true, db.ErrNotFound, []int64{}, []int64{p2.ID}, []int64{p1.ID}},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			err := s.SetPick(ctx, st.list.ID, st.photo, st.on, false)
			if !errors.Is(err, st.want) || (st.want == nil && err != nil) {
				t.Fatalf("SetPick: err = %v, want %v", err, st.want)
			}
			for _, c := range []struct {
				l    db.PickList
				want []int64
			}{{anna1, st.want1}, {anna2, st.want2}, {client, st.wantClient}} {
				if got := picked(c.l); !equal(got, c.want) {
					t.Errorf("list %d picked %v, want %v", c.l.ID, got, c.want)
				}
			}
		})
	}

	// A browser finds its list by its token, in its gallery only.
	if l, err := s.BrowserPickList(ctx, g.ID, tok2); err != nil || l.ID != anna2.ID || l.Name != "anna" {
		t.Errorf("BrowserPickList = %+v, %v, want list %d named anna", l, err, anna2.ID)
	}
	for _, c := range []struct {
		gallery int64
		token   string
	}{{other.ID, tok1}, {g.ID, "not-a-token"}, {g.ID, ""}} {
		if _, err := s.BrowserPickList(ctx, c.gallery, c.token); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("BrowserPickList(%d, %q): err = %v, want ErrNotFound", c.gallery, c.token, err)
		}
	}
	if l, err := s.ClientPickList(ctx, g.ID, cl.ID); err != nil || l.ID != client.ID {
		t.Errorf("ClientPickList = %+v, %v", l, err)
	}
	if _, err := s.ClientPickList(ctx, other.ID, cl.ID); !errors.Is(err, db.ErrNotFound) {
		t.Errorf("ClientPickList(other gallery): err = %v, want ErrNotFound", err)
	}

	// A pick with the PIN marks the list for good; a rename keeps it.
	if err := s.SetPick(ctx, anna1.ID, p2.ID, true, true); err != nil {
		t.Fatal(err)
	}
	if err := s.SetPick(ctx, anna1.ID, p2.ID, false, false); err != nil {
		t.Fatal(err)
	}
	if err := s.NamePickList(ctx, anna1.ID, "Anna B."); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.BrowserPickList(ctx, g.ID, tok1); !l.WithPIN || l.Name != "Anna B." {
		t.Errorf("after a pick with the PIN and a rename: %+v", l)
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
	list := func(l db.PickList) db.PickList {
		_, l, err := s.CreatePickList(ctx, l)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	zoe := list(db.PickList{GalleryID: g.ID, Name: "Zoe"})
	ben := list(db.PickList{GalleryID: g.ID, Name: "Ben"})
	carla := list(db.PickList{GalleryID: g.ID, ClientID: cl.ID})
	ben2 := list(db.PickList{GalleryID: g.ID, Name: "Ben"})
	benOther := list(db.PickList{GalleryID: other.ID, Name: "Ben"})
	for _, f := range []struct {
		l     db.PickList
		photo int64
	}{
		{zoe, late.ID}, {ben, late.ID}, {ben, early.ID}, {carla, early.ID}, {ben2, early.ID}, {benOther, po.ID},
	} {
		if err := s.SetPick(ctx, f.l.ID, f.photo, true, false); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Favourites(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		list         int64
		person, file string
		client       int64
	}
	var rows []row
	for _, f := range got {
		rows = append(rows, row{f.ListID, f.Person, f.Filename, f.ClientID})
	}
	want := []row{ // list by list as started, each in the gallery's order
		{zoe.ID, "Zoe", "late.jpg", 0},
		{ben.ID, "Ben", "early.jpg", 0},
		{ben.ID, "Ben", "late.jpg", 0},
		{carla.ID, "Carla Client", "early.jpg", cl.ID},
		{ben2.ID, "Ben", "early.jpg", 0},
	}
	if !equal(rows, want) {
		t.Errorf("Favourites = %v, want %v", rows, want)
	}
	lists, err := s.PickLists(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	var summary []string
	for _, l := range lists {
		summary = append(summary, fmt.Sprintf("%s:%d", l.Name, l.Picks))
	}
	if fmt.Sprint(summary) != "[Zoe:1 Ben:2 Carla Client:1 Ben:1]" {
		t.Errorf("PickLists = %v", summary)
	}
}

// TestMigration_PickLists: favourites of the last release, keyed by the
// lower-cased first name, become one list per gallery and name (the name
// as first given) or per client login, each pick kept; the file passes
// SQLite's integrity and foreign key checks.
func TestMigration_PickLists(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	raw := rawDB(t, path)
	schema, err := os.ReadFile("migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(schema), "PRAGMA user_version = 1", `
		INSERT INTO galleries (id, slug, title, access, pin, created_at, updated_at) VALUES
			(1, 'wedding-aaaaaa', 'Wedding', 'download-pin', '2468', 1, 1),
			(2, 'party-bbbbbb', 'Party', 'public', '', 1, 1);
		INSERT INTO photos (id, gallery_id, filename, sha256, bytes, width, height, position, created_at) VALUES
			(1, 1, 'a.jpg', 'a', 1, 1, 1, 1, 1), (2, 1, 'b.jpg', 'b', 1, 1, 1, 2, 1),
			(3, 2, 'c.jpg', 'c', 1, 1, 1, 1, 1);
		INSERT INTO clients (id, name, code, created_at) VALUES (1, 'Carla', 'CODE1', 1);
		INSERT INTO sessions (id, token_hash, gallery_id, pin_version, visitor_name, created_at, expires_at, last_seen_at)
			VALUES (1, x'01', 1, 1, 'Anna', 1, 9999999999, 1), (2, x'02', 1, 1, 'anna', 1, 9999999999, 1);
		INSERT INTO favourites (photo_id, client_id, session_id, owner, visitor_name, created_at) VALUES
			(2, NULL, 2, 'name:anna', 'anna', 20),
			(1, NULL, 1, 'name:anna', 'Anna', 10),
			(1, 1, NULL, 'client:1', '', 30),
			(2, NULL, NULL, 'name:ben', '', 40),
			(3, NULL, NULL, 'name:anna', 'ANNA', 50);`} {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := map[int64][]string{}
	for _, g := range []int64{1, 2} {
		favs, err := s.Favourites(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range favs {
			got[g] = append(got[g], fmt.Sprintf("%s:%s", f.Person, f.Filename))
		}
	}
	want := map[int64][]string{
		1: {"Anna:a.jpg", "Anna:b.jpg", "Carla:a.jpg", "ben:b.jpg"},
		2: {"ANNA:c.jpg"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("after migration: %v, want %v", got, want)
	}
	if l, err := s.ClientPickList(ctx, 1, 1); err != nil || l.Name != "Carla" {
		t.Errorf("Carla's list: %+v, %v", l, err)
	}
	var check string
	if err := raw.QueryRow("PRAGMA integrity_check").Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q, %v", check, err)
	}
	if n := count(t, raw, "SELECT COUNT(*) FROM pragma_foreign_key_check"); n != 0 {
		t.Errorf("%d foreign key violations", n)
	}
	// New lists number on from the migrated ones.
	_, l, err := s.CreatePickList(ctx, db.PickList{GalleryID: 1, Name: "Dora"})
	if err != nil || l.ID != 5 {
		t.Errorf("new list %d, %v, want id 5", l.ID, err)
	}
}

// TestStore_MaxPicksWithTheGallery: the limit on picks is written in the
// gallery's own transaction, on create and on change; a limit that is
// refused leaves the gallery as it was (or not made at all).
func TestStore_MaxPicksWithTheGallery(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	five, minus := 5, -1
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("Smith wedding"), MaxPicks: &five})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.MaxPicks(ctx, g.ID); err != nil || n != 5 {
		t.Fatalf("max picks after create: %d, %v; want 5", n, err)
	}
	if _, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("Refused"), MaxPicks: &minus}); err == nil {
		t.Fatal("a negative limit was taken")
	}
	if gs, _ := s.Galleries(ctx); len(gs) != 1 {
		t.Errorf("%d galleries after a refused create, want 1", len(gs))
	}
	if _, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{Title: new("Renamed"), MaxPicks: &minus}, false); err == nil {
		t.Fatal("a negative limit was taken")
	}
	if got, _ := s.Gallery(ctx, g.Slug); got.Title != "Smith wedding" {
		t.Errorf("title %q after a refused change, want it unchanged", got.Title)
	}
	zero := 0
	if _, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{MaxPicks: &zero}, false); err != nil {
		t.Fatal(err)
	}
	if n, _ := s.MaxPicks(ctx, g.ID); n != 0 {
		t.Errorf("max picks %d after clearing, want 0", n)
	}
}
