package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"pinhole/db"
	"pinhole/internal/testio"
)

// forging is every character that could forge output when printed raw:
// the controls (Cc), the format characters (Cf: bidi marks, embeddings,
// overrides, isolates, tags…) and the line and paragraph separators,
// taken from Unicode's tables (issue 16). NUL is left out (no file name or
// SQLite text holds it), and so are the zero-width joiner and non-joiner,
// which emoji and Persian names need and which move nothing.
func forging() []rune {
	var out []rune
	for _, tab := range []*unicode.RangeTable{unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp} {
		for _, r16 := range tab.R16 {
			for r := rune(r16.Lo); r <= rune(r16.Hi); r += rune(r16.Stride) {
				out = append(out, r)
			}
		}
		for _, r32 := range tab.R32 {
			for r := rune(r32.Lo); r <= rune(r32.Hi); r += rune(r32.Stride) {
				out = append(out, r)
			}
		}
	}
	keep := out[:0]
	for _, r := range out {
		if r != 0 && r != '\u200c' && r != '\u200d' {
			keep = append(keep, r)
		}
	}
	return keep
}

// forgedIn reports how an output could be forged: a raw forging character
// (other than the output's own newlines and tabs), or a name, written
// between « and », that does not begin and end on one line or holds a tab.
func forgedIn(out string, set map[rune]bool) string {
	for _, r := range out {
		if set[r] && r != '\n' && r != '\t' {
			return fmt.Sprintf("raw %U", r)
		}
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Count(line, "«") != strings.Count(line, "»") {
			return fmt.Sprintf("a name split over lines: %q", line)
		}
		for rest := line; strings.Contains(rest, "«"); {
			_, after, _ := strings.Cut(rest, "«")
			name, tail, _ := strings.Cut(after, "»")
			if strings.Contains(name, "\t") {
				return fmt.Sprintf("a tab inside a name: %q", line)
			}
			rest = tail
		}
	}
	return ""
}

// TestBadInput_NoForgedOutput feeds every forging character, in file
// names, a title and description, a client's name and note, a visitor's
// name and the address and detail of events, through every human output
// of the command line (the same commands run over SSH): none reaches the
// terminal raw, no name starts a line of its own or moves a column.
func TestBadInput_NoForgedOutput(t *testing.T) {
	runes := forging()
	set := map[rune]bool{}
	for _, r := range runes {
		set[r] = true
	}
	all := "«" + string(runes) + "»"
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", all, "--description", all, "--access", "public")
	slug := g["slug"].(string)
	photo, err := os.ReadFile("../../testdata/photos/Canon_40D.jpg")
	if err != nil {
		t.Fatal(err)
	}
	// File names hold at most 255 bytes: the characters go in chunks.
	src := t.TempDir()
	files := 0
	for i := 0; i < len(runes); i += 40 {
		name := fmt.Sprintf("«%s»%d.jpg", string(runes[i:min(i+40, len(runes))]), i)
		if err := os.WriteFile(filepath.Join(src, name), append(append([]byte{}, photo...), byte(i), byte(i>>8)), 0o644); err != nil {
			t.Fatal(err)
		}
		files++
	}
	check := func(what string, r result) {
		t.Helper()
		if how := forgedIn(r.stdout, set); how != "" {
			t.Errorf("%s: stdout forged: %s", what, how)
		}
		if how := forgedIn(r.stderr, set); how != "" {
			t.Errorf("%s: stderr forged: %s", what, how)
		}
	}
	r := c.run("", "import", slug, src)
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("Imported %d", files)) {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	check("import", r)

	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	gal, _ := s.Gallery(ctx, slug)
	ps, _ := s.Photos(ctx, gal.ID)
	_, l, err := s.CreatePickList(ctx, db.PickList{GalleryID: gal.ID, Name: all})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if err := s.SetPick(ctx, l.ID, p.ID, true, false); err != nil {
			t.Fatal(err)
		}
		if err := s.AddEvent(ctx, db.Event{GalleryID: gal.ID, Kind: db.EventDownload, PhotoID: p.ID, Visitor: all, Address: all, Detail: all}); err != nil {
			t.Fatal(err)
		}
	}
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: &all, Note: &all})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddEvent(ctx, db.Event{ClientID: cl.ID, Kind: db.EventLogin, Address: all}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	outputs := [][]string{
		{"photo", "list", slug}, {"gallery", "list"}, {"gallery", "show", slug}, {"favourites", slug},
		{"favourites", slug, "--lightroom"}, {"activity"}, {"activity", slug}, {"client", "list"},
		{"client", "show", fmt.Sprint(cl.ID)},
	}
	for _, args := range append(outputs, []string{"import", slug, filepath.Join(src, "«\u202egone\u2028».jpg")}) {
		check(strings.Join(args, " "), c.run("", args...))
	}

	// The same commands over SSH, through OpenSSH's client; and serve's log.
	testio.NeedPrograms(t, "ssh", "ssh-keygen")
	key := c.addAdmin(t.TempDir())
	srv := serve(t, c.data)
	for _, args := range outputs {
		r := srv.ssh(t, key, "", args...)
		if r.code != 0 {
			t.Errorf("ssh %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
		}
		check("ssh "+strings.Join(args, " "), r)
	}
	srv.stop(t)
	if how := forgedIn(srv.out.String(), set); how != "" {
		t.Errorf("serve's output forged: %s", how)
	}
}
