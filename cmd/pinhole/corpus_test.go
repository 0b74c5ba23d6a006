package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db/dbtest"
	"pinhole/internal/testio"
)

// TestCLI_ImportCorpus: pinhole import of the whole shared corpus (with
// PINHOLE_CORPUS, as CI runs it) does what the corpus README asks of each
// category: what must import imports, every refusal is one clear line per
// file and the rest goes on, bombs are refused except the real 108 MP
// photo, a photo under a hostile name keeps that name, and the storage is
// consistent afterwards.
func TestCLI_ImportCorpus(t *testing.T) {
	dir, files := testio.Corpus(t)
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Corpus")
	r := c.run("", "import", g["slug"].(string), dir, "--json")
	if r.code != 1 { // some files are refused
		t.Fatalf("import: exit %d, want 1\n%s", r.code, r.stderr)
	}
	var sum struct {
		Imported, Existing int
		Failed             []struct{ File, Error string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("%v in %q", err, r.stdout)
	}
	failed := map[string]string{}
	for _, f := range sum.Failed {
		rel, err := filepath.Rel(dir, f.File)
		if err != nil {
			t.Fatal(err)
		}
		failed[rel] = f.Error
	}
	walked := 0
	for _, f := range files {
		name := filepath.Base(f.Path)
		if strings.HasPrefix(name, ".") { // a dotfile is skipped when a folder is walked
			if _, ok := failed[f.Path]; ok {
				t.Errorf("%s: a hidden file was taken", f.Path)
			}
			continue
		}
		walked++
		msg, refused := failed[f.Path]
		if refused {
			if !strings.HasPrefix(msg, "import "+name+": ") {
				t.Errorf("%s: the message does not name the file: %q", f.Path, msg)
			}
			if !clearRefusal(msg) {
				t.Errorf("%s: unclear refusal %q", f.Path, msg)
			}
		}
		if want, ok := testio.CorpusVerdicts[f.Path]; ok && want == refused {
			t.Errorf("%s: refused=%v (%q), want refused=%v", f.Path, refused, msg, !want)
		}
		switch f.Category {
		case "camera", "orientation", "progressive", "icc", "cmyk", "png", "oddname":
			if refused {
				t.Errorf("%s (%s) refused: %s", f.Path, f.Category, msg)
			}
		case "heic":
			if !refused || !strings.Contains(msg, "export as JPEG") {
				t.Errorf("%s: HEIC %q, want refused with a message that says to export as JPEG", f.Path, msg)
			}
		case "bomb":
			if big := name == "large_valid_12000x9000.jpg"; big == refused {
				t.Errorf("%s: bomb refused=%v (%q)", f.Path, refused, msg)
			}
		}
	}
	if got := sum.Imported + sum.Existing + len(sum.Failed); got != walked {
		t.Errorf("imported %d + already there %d + failed %d = %d, want the %d files of the corpus (hidden ones skipped)",
			sum.Imported, sum.Existing, len(sum.Failed), got, walked)
	}
	if r := c.run("", "doctor"); r.code != 0 {
		t.Errorf("doctor after the corpus: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	// The same photo under hostile names is one photo in one gallery
	// ("already there"), so each name goes into a gallery of its own, named
	// on the command line (the dotfile too), and is kept byte for byte.
	s := dbtest.OpenAt(t, filepath.Join(c.data, "pinhole.db"), nil)
	ctx := context.Background()
	odd := 0
	for _, f := range files {
		if f.Category != "oddname" {
			continue
		}
		odd++
		var og map[string]any
		c.ok(&og, "gallery", "create", "--title", "Odd name")
		if r := c.run("", "import", og["slug"].(string), "--", filepath.Join(dir, f.Path)); r.code != 0 {
			t.Errorf("%s: exit %d\n%s%s", f.Path, r.code, r.stdout, r.stderr)
			continue
		}
		gal, err := s.Gallery(ctx, og["slug"].(string))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := s.Photos(ctx, gal.ID)
		if err != nil || len(ps) != 1 || ps[0].Filename != filepath.Base(f.Path) {
			t.Errorf("%s: stored as %+v (%v), want its name kept", f.Path, ps, err)
		}
	}
	if odd == 0 {
		t.Error("no file of the oddname category in the manifest")
	}
}

// clearRefusal reports whether an import's message says plainly why a
// file was refused.
func clearRefusal(msg string) bool {
	for _, why := range []string{"corrupt or truncated", "unsupported format", "image too large"} {
		if strings.Contains(msg, ": "+why) {
			return !strings.Contains(msg, "goroutine") && !strings.Contains(msg, "panic")
		}
	}
	return false
}
