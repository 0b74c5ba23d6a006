package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
)

// controlSeqs are bytes that make a terminal do something when printed:
// ESC (colours, titles, OSC 52 clipboard writes), BEL, CR, the C1 CSI
// (U+009B) and a lone 0xFF (tabwriter's escape character).
var controlSeqs = []string{"\x1b", "\x07", "\r", "\u009b", "\xff"}

func hasControl(s string) string {
	for _, c := range controlSeqs {
		if strings.Contains(s, c) {
			return c
		}
	}
	return ""
}

// TestBadInput_NoTerminalEscapes: file names, visitor names and titles
// are data, not terminal commands: whatever bytes they hold, the human
// output (tables, import lines, errors, favourites, activity) prints no
// control character the terminal would act on, while --json keeps them.
func TestBadInput_NoTerminalEscapes(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Evil\x1b]0;pwned\x07 title", "--access", "public")
	slug := g["slug"].(string)
	photo, err := os.ReadFile("../../media/testdata/photos/DSCN0010.jpg")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	names := []string{"red\x1b[31m.jpg", "title\x1b]0;pwned\x07.jpg", "clip\x1b]52;c;ZWNobyBwd25lZA==\x07.jpg", "csi\u009b2J.jpg", "ff\xff.jpg", "cr\rover.jpg"}
	for i, n := range names {
		if err := os.WriteFile(filepath.Join(src, n), append(append([]byte{}, photo...), byte(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(src, "broken\x1b[2J.jpg"), photo[:500], 0o644)

	check := func(what string, r result) {
		t.Helper()
		if c := hasControl(r.stdout); c != "" {
			t.Errorf("%s: stdout holds %q:\n%q", what, c, r.stdout)
		}
		if c := hasControl(r.stderr); c != "" {
			t.Errorf("%s: stderr holds %q:\n%q", what, c, r.stderr)
		}
	}
	r := c.run("", "import", slug, src)
	if r.code != 1 || !strings.Contains(r.stdout, "Imported 6") {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	check("import", r)
	check("photo list", c.run("", "photo", "list", slug))
	check("gallery list", c.run("", "gallery", "list"))
	check("gallery show", c.run("", "gallery", "show", slug))
	check("import of a missing file", c.run("", "import", slug, filepath.Join(src, "gone\x1b]0;x\x07.jpg")))

	// A website visitor picks the name.
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	gal, _ := s.Gallery(ctx, slug)
	ps, _ := s.Photos(ctx, gal.ID)
	evil := "Eve\x1b]0;pwned\x07\u009b2J"
	if err := s.SetFavourite(ctx, gal.ID, ps[0].ID, db.Owner{Name: evil}, 0, true); err != nil {
		t.Fatal(err)
	}
	s.AddEvent(ctx, db.Event{GalleryID: gal.ID, Kind: db.EventFavourite, PhotoID: ps[0].ID, Visitor: evil, Address: "203.0.113.9"})
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: ptrTo("Ann\x1b[8m"), Note: ptrTo("note\x1b]0;x\x07")})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	check("favourites", c.run("", "favourites", slug))
	check("favourites --lightroom", c.run("", "favourites", slug, "--lightroom"))
	check("activity", c.run("", "activity"))
	check("activity SLUG", c.run("", "activity", slug))
	check("client list", c.run("", "client", "list"))
	check("client show", c.run("", "client", "show", strings.TrimSpace(strings.Split(c.run("", "client", "list").stdout, "\n")[1])[:1]))
	_ = cl

	// --json keeps the exact text (escaped by JSON).
	var list []map[string]any
	c.ok(&list, "photo", "list", slug)
	found := false
	for _, p := range list {
		found = found || p["filename"] == "red\x1b[31m.jpg"
	}
	if !found {
		t.Errorf("--json lost the exact file name: %v", list)
	}
}
