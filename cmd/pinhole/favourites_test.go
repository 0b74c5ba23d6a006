package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/db/dbtest"
	"pinhole/internal/testio"
	"pinhole/media"
)

// run runs the command line on a data folder and returns status and output.
func run(t testing.TB, dir string, args ...string) (int, string, string) {
	t.Helper()
	out, errs := &testio.Buffer{}, &testio.Buffer{}
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errs, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), env, append([]string{"--data", dir}, args...))
	env.Close()
	return code, out.String(), errs.String()
}

// picksFixture: a gallery of four photos; Anna (a PIN visitor) picked 1
// and 3, the client Carla picked 3 and 4.
func picksFixture(t *testing.T) (string, db.Gallery) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("Smith wedding")})
	if err != nil {
		t.Fatal(err)
	}
	var ps []db.Photo
	for i, name := range []string{"IMG_0001.JPG", "IMG_0002.JPG", "IMG_0003.JPG", "DSC 4.jpeg"} {
		p, err := s.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: name, SHA256: strings.Repeat(string(rune('a'+i)), 64), Bytes: 1, Width: 1, Height: 1})
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: new("Carla")})
	if err != nil {
		t.Fatal(err)
	}
	_, anna, err := s.CreatePickList(ctx, db.PickList{GalleryID: g.ID, Name: "Anna"})
	if err != nil {
		t.Fatal(err)
	}
	_, carla, err := s.CreatePickList(ctx, db.PickList{GalleryID: g.ID, ClientID: cl.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		p db.Photo
		l db.PickList
	}{{ps[0], anna}, {ps[2], anna}, {ps[2], carla}, {ps[3], carla}} {
		if err := s.SetPick(ctx, f.l.ID, f.p.ID, true, false); err != nil {
			t.Fatal(err)
		}
	}
	return dir, g
}

func TestFavouritesCommand(t *testing.T) {
	dir, g := picksFixture(t)
	code, out, errs := run(t, dir, "favourites", g.Slug)
	if code != 0 || !strings.Contains(out, "Anna (visitor, 2)\n  IMG_0001.JPG\n  IMG_0003.JPG") || !strings.Contains(out, "Carla (client login, 2)") {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	code, out, _ = run(t, dir, "favourites", g.Slug, "--json")
	var people []favouritesJSON
	if err := json.Unmarshal([]byte(out), &people); code != 0 || err != nil || len(people) != 2 {
		t.Fatalf("json: %v %s", err, out)
	}
	code, out, _ = run(t, dir, "favourites", g.Slug, "--lightroom")
	if code != 0 || out != "DSC 4, IMG_0001, IMG_0003\n" { // the gallery's order
		t.Fatalf("lightroom line %q", out)
	}
}

func TestFavouritesCommand_XMP(t *testing.T) {
	dir, g := picksFixture(t)
	raw := t.TempDir()
	photo := []byte("\xff\xd8\xff not really a photo")
	for _, n := range []string{"IMG_0001.JPG", "img_0003.jpg", "IMG_0002.JPG"} {
		os.WriteFile(filepath.Join(raw, n), photo, 0o644)
	}
	existing := `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmp:Rating="2"
    crs:Exposure2012="+0.35">
   <dc:creator><rdf:Seq><rdf:li>Jane Photographer</rdf:li></rdf:Seq></dc:creator>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`
	os.WriteFile(filepath.Join(raw, "IMG_0001.xmp"), []byte(existing), 0o644)
	code, out, errs := run(t, dir, "favourites", g.Slug, "--xmp", raw)
	if code != 0 || !strings.Contains(out, "2 sidecars written or updated") || !strings.Contains(errs, "DSC 4.jpeg") {
		t.Fatalf("exit %d: %s / %s", code, out, errs)
	}
	type desc struct {
		Rating   string `xml:"http://ns.adobe.com/xap/1.0/ Rating,attr"`
		Label    string `xml:"http://ns.adobe.com/xap/1.0/ Label,attr"`
		Exposure string `xml:"http://ns.adobe.com/camera-raw-settings/1.0/ Exposure2012,attr"`
		Creator  string `xml:"creator>Seq>li"`
	}
	type xmpmeta struct {
		Desc desc `xml:"RDF>Description"`
	}
	read := func(name string) desc {
		b, err := os.ReadFile(filepath.Join(raw, name))
		if err != nil {
			t.Fatal(err)
		}
		var m xmpmeta
		if err := xml.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, b)
		}
		return m.Desc
	}
	// The existing sidecar is updated, not replaced.
	if d := read("IMG_0001.xmp"); d.Rating != "5" || d.Label != "Green" || d.Exposure != "+0.35" || d.Creator != "Jane Photographer" {
		t.Errorf("updated sidecar: %+v", d)
	}
	// A new one beside the case-different file.
	if d := read("img_0003.xmp"); d.Rating != "5" || d.Label != "Green" {
		t.Errorf("new sidecar: %+v", d)
	}
	if _, err := os.Stat(filepath.Join(raw, "IMG_0002.xmp")); err == nil {
		t.Error("sidecar for a photo nobody picked")
	}
	for _, n := range []string{"IMG_0001.JPG", "img_0003.jpg"} {
		if b, _ := os.ReadFile(filepath.Join(raw, n)); string(b) != string(photo) {
			t.Errorf("%s was touched", n)
		}
	}
	// Running again changes nothing more.
	before, _ := os.ReadFile(filepath.Join(raw, "IMG_0001.xmp"))
	run(t, dir, "favourites", g.Slug, "--xmp", raw)
	if after, _ := os.ReadFile(filepath.Join(raw, "IMG_0001.xmp")); string(after) != string(before) {
		t.Error("a second run changed the sidecar")
	}
}

// TestActivityCommand: lists events; --follow prints one that happens
// while it runs.
func TestActivityCommand(t *testing.T) {
	dir, g := picksFixture(t)
	ctx := context.Background()
	s := dbtest.OpenAt(t, filepath.Join(dir, "pinhole.db"), nil)
	s.AddEvent(ctx, db.Event{GalleryID: g.ID, Kind: db.EventPINFail, Address: "203.0.113.5"})
	code, out, _ := run(t, dir, "activity", g.Slug)
	if code != 0 || !strings.Contains(out, "203.0.113.5") || !strings.Contains(out, "typed a wrong PIN") {
		t.Fatalf("activity: %d %s", code, out)
	}
	code, out, _ = run(t, dir, "activity", "--since", "2h", "--json")
	var evs []eventJSON
	if err := json.Unmarshal([]byte(out), &evs); code != 0 || err != nil || len(evs) != 1 {
		t.Fatalf("json: %v %s", err, out)
	}

}

func TestPreviewCommands(t *testing.T) {
	dir, g := picksFixture(t)
	code, out, errs := run(t, dir, "gallery", "preview", g.Slug, "--json")
	var p previewJSON
	if err := json.Unmarshal([]byte(out), &p); code != 0 || err != nil || !strings.Contains(p.URL, "/preview/") {
		t.Fatalf("gallery preview: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, dir, "client", "preview", "1")
	if code != 0 || !strings.Contains(out, "/preview/") || !strings.Contains(out, "Carla's dashboard") {
		t.Fatalf("client preview: %d %s", code, out)
	}
}

// TestFavouritesCommand_By: a second visitor who also says "Anna" keeps
// her own list, listed as "anna (2)"; --by picks one list for the listing
// and for the exports.
func TestFavouritesCommand_By(t *testing.T) {
	dir, g := picksFixture(t)
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := s.Photos(ctx, g.ID)
	_, l, err := s.CreatePickList(ctx, db.PickList{GalleryID: g.ID, Name: "anna"})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Filename == "IMG_0002.JPG" {
			if err := s.SetPick(ctx, l.ID, p.ID, true, false); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Close()

	code, out, errs := run(t, dir, "favourites", g.Slug)
	if code != 0 || !strings.Contains(out, "Anna (visitor, 2)\n  IMG_0001.JPG\n  IMG_0003.JPG") ||
		!strings.Contains(out, "anna (2) (visitor, 1)\n  IMG_0002.JPG") || !strings.Contains(out, "Carla (client login, 2)") {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	for _, c := range []struct{ by, want string }{
		{"Anna", "IMG_0001, IMG_0003\n"},
		{"ANNA (2)", "IMG_0002\n"},
		{"carla", "DSC 4, IMG_0003\n"},
	} {
		code, out, errs := run(t, dir, "favourites", g.Slug, "--by", c.by, "--lightroom")
		if code != 0 || out != c.want {
			t.Errorf("--by %q --lightroom: exit %d, %q %s, want %q", c.by, code, out, errs, c.want)
		}
	}
	code, out, _ = run(t, dir, "favourites", g.Slug, "--by", "anna (2)", "--json")
	var people []favouritesJSON
	if err := json.Unmarshal([]byte(out), &people); code != 0 || err != nil || len(people) != 1 || people[0].Person != "anna (2)" {
		t.Errorf("--by --json: %v %s", err, out)
	}
	raw := t.TempDir()
	for _, n := range []string{"IMG_0001.JPG", "IMG_0002.JPG", "IMG_0003.JPG"} {
		os.WriteFile(filepath.Join(raw, n), []byte("x"), 0o644)
	}
	if code, out, errs := run(t, dir, "favourites", g.Slug, "--by", "anna (2)", "--xmp", raw); code != 0 || !strings.Contains(out, "1 sidecar written or updated") {
		t.Errorf("--by --xmp: exit %d: %s%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(raw, "IMG_0002.xmp")); err != nil {
		t.Error("no sidecar for the second Anna's pick")
	}
	if _, err := os.Stat(filepath.Join(raw, "IMG_0001.xmp")); err == nil {
		t.Error("a sidecar for the first Anna's pick")
	}
	code, out, errs = run(t, dir, "favourites", g.Slug, "--by", "Nobody")
	if code != 2 || !strings.Contains(errs, `"Anna", "Carla", "anna (2)"`) {
		t.Errorf("--by an unknown name: exit %d: %s%s", code, out, errs)
	}
}

// TestFavouritesCommand_LastRelease: a data folder of the last release
// (schema 1, favourites keyed by first name) opens, passes doctor, and
// lists its favourites under the names they were given.
func TestFavouritesCommand_LastRelease(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	var inserts []string
	for i, src := range []string{"../../testdata/photos/DSCN0010.jpg", "../../testdata/photos/Landscape_0.jpg"} {
		mp, err := lib.Add(ctx, src, media.Options{Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		inserts = append(inserts, fmt.Sprintf(`INSERT INTO photos (id, gallery_id, filename, sha256, bytes, width, height, position, created_at)
			VALUES (%d, 1, '%s', '%s', %d, %d, %d, %d, 1)`, i+1, mp.Name, mp.SHA256, mp.Bytes, mp.Width, mp.Height, i))
	}
	schema, err := os.ReadFile("../../db/migrations/0001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	stmts := append([]string{string(schema), "PRAGMA user_version = 1",
		`INSERT INTO galleries (id, slug, title, access, pin, created_at, updated_at) VALUES (1, 'wedding-k4q9x2', 'Wedding', 'download-pin', '2468', 1, 1)`,
		`INSERT INTO clients (id, name, code, created_at) VALUES (1, 'Carla', 'CODE1', 1)`},
		inserts...)
	stmts = append(stmts, `INSERT INTO favourites (photo_id, client_id, owner, visitor_name, created_at) VALUES
		(1, NULL, 'name:anna', 'Anna', 10), (2, NULL, 'name:anna', 'anna', 11), (2, 1, 'client:1', '', 12)`)
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatalf("%.50s: %v", q, err)
		}
	}
	raw.Close()
	if code, out, errs := run(t, dir, "doctor"); code != 0 || !strings.Contains(out, "Checked 2 photos: 0 problems.") {
		t.Fatalf("doctor: exit %d: %s%s", code, out, errs)
	}
	code, out, errs := run(t, dir, "favourites", "wedding-k4q9x2")
	if code != 0 || !strings.Contains(out, "Anna (visitor, 2)\n  DSCN0010.jpg\n  Landscape_0.jpg") || !strings.Contains(out, "Carla (client login, 1)") {
		t.Fatalf("favourites: exit %d: %s%s", code, out, errs)
	}
}

// TestFavouritesCommand_SentAndLimit: a sent selection says so (and when it
// changed after), and gallery set --max-picks sets the limit shown by
// gallery show.
func TestFavouritesCommand_SentAndLimit(t *testing.T) {
	dir, g := picksFixture(t)
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	lists, _ := s.PickLists(ctx, g.ID)
	if err := s.SendPickLists(ctx, lists[0].ID); err != nil {
		t.Fatal(err)
	}
	s.Close()
	code, out, errs := run(t, dir, "favourites", g.Slug)
	if code != 0 || !strings.Contains(out, "Anna (visitor, 2, sent ") || !strings.Contains(out, "Carla (client login, 2)") {
		t.Fatalf("exit %d: %s%s", code, out, errs)
	}
	_, out, _ = run(t, dir, "favourites", g.Slug, "--json")
	var people []favouritesJSON
	if err := json.Unmarshal([]byte(out), &people); err != nil || people[0].Sent == "" || people[1].Sent != "" {
		t.Errorf("json: %v %s", err, out)
	}
	if code, out, errs := run(t, dir, "gallery", "set", g.Slug, "--max-picks", "25"); code != 0 || !strings.Contains(out, "up to 25 per visitor") {
		t.Fatalf("set --max-picks: exit %d: %s%s", code, out, errs)
	}
	_, out, _ = run(t, dir, "gallery", "show", g.Slug, "--json")
	if !strings.Contains(out, `"max_picks": 25`) {
		t.Errorf("show --json: %s", out)
	}
	if code, _, errs := run(t, dir, "gallery", "set", g.Slug, "--max-picks", "-1"); code != 2 || !strings.Contains(errs, "--max-picks") {
		t.Errorf("--max-picks -1: exit %d %s", code, errs)
	}
	run(t, dir, "gallery", "set", g.Slug, "--max-picks", "0")
	if _, out, _ = run(t, dir, "gallery", "list", "--json"); !strings.Contains(out, `"max_picks": 0`) {
		t.Errorf("list --json after clearing: %s", out)
	}
}
