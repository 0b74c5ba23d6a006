package media

import (
	"context"
	"image"
	"image/color"
	stdjpeg "image/jpeg"
	"os"
	"path/filepath"
	"testing"
)

// TestRenditions_table: every row is made from a larger one before it, and
// names, codes and folders are distinct.
func TestRenditions_table(t *testing.T) {
	seen := map[string]Rendition{}
	codes, dirs := map[string]bool{}, map[string]bool{dirOriginals: true}
	for _, r := range Renditions() {
		if r.From != "" {
			from, ok := seen[r.From]
			if !ok || from.Long <= r.Long {
				t.Errorf("%s is made from %q, which is not a larger row before it", r.Name, r.From)
			}
		}
		if _, dup := seen[r.Name]; dup || codes[r.Code] || dirs[r.Dir] || len(r.Code) != 1 {
			t.Errorf("%s: name, code %q or folder %q repeated or malformed", r.Name, r.Code, r.Dir)
		}
		if r.Quality < 50 || r.Quality > 95 || r.Long < 100 {
			t.Errorf("%s: quality %d, long side %d", r.Name, r.Quality, r.Long)
		}
		seen[r.Name], codes[r.Code], dirs[r.Dir] = r, true, true
	}
	for _, n := range []string{Preview, Medium, Thumbnail} {
		if _, ok := RenditionNamed(n); !ok {
			t.Errorf("no rendition %q", n)
		}
	}
}

// writeJPEG writes a w×h JPEG of one colour.
func writeJPEG(t testing.TB, path string, w, h int, c color.Color) {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(m.Pix); i += 4 {
		r, g, b, _ := c.RGBA()
		m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3] = uint8(r>>8), uint8(g>>8), uint8(b>>8), 255
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := stdjpeg.Encode(f, m, &stdjpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRenditions_medium: the middle size is made at import at its size, and
// a library made before it had that row gets it from Repair, made from the
// stored preview (not the original).
func TestRenditions_medium(t *testing.T) {
	l := newLib(t)
	src := filepath.Join(t.TempDir(), "big.jpg")
	writeJPEG(t, src, 3000, 2000, color.RGBA{40, 120, 200, 255})
	p, err := l.Add(context.Background(), src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	medium, _ := RenditionNamed(Medium)
	if medium.Long < 900 || medium.Long > 1200 {
		t.Errorf("medium long side %d, want about 1,000", medium.Long)
	}
	size := map[string][2]int{"": {3000, 2000}}
	for _, r := range Renditions() {
		m := loadJPEG(t, l.RenditionPath(r, p.SHA256))
		from := size[r.From] // each is resized from the one it is made from
		w, h := r.Fit(from[0], from[1])
		size[r.Name] = [2]int{w, h}
		if d := m.Bounds().Size(); d.X != w || d.Y != h {
			t.Errorf("%s is %v, want %d×%d", r.Name, d, w, h)
		}
	}

	// A library from before the medium row: the medium is missing. The
	// preview is made red, so that what Repair made it from shows.
	path := l.RenditionPath(medium, p.SHA256)
	os.Remove(path)
	if missing := l.checkPaths(p.SHA256); len(missing) != 1 || missing[0] != path {
		t.Fatalf("Check = %v, want only the medium", missing)
	}
	writeJPEG(t, l.PreviewPath(p.SHA256), 2048, 1365, color.RGBA{220, 20, 20, 255})
	if err := l.Repair(context.Background(), p.SHA256); err != nil {
		t.Fatal(err)
	}
	m := loadJPEG(t, path)
	if d := m.Bounds().Size(); d.X != 1024 || d.Y != 683 {
		t.Errorf("repaired medium is %v", d)
	}
	if r, g, _, _ := m.At(500, 300).RGBA(); r>>8 < 180 || g>>8 > 60 {
		t.Errorf("repaired medium was not made from the preview: colour %d,%d", r>>8, g>>8)
	}
	// A damaged preview: Repair falls back on the original.
	os.Remove(path)
	os.WriteFile(l.PreviewPath(p.SHA256), []byte("not a JPEG"), 0o644)
	if err := l.Repair(context.Background(), p.SHA256); err != nil {
		t.Fatalf("repair with a damaged preview: %v", err)
	}
	if r, _, b, _ := loadJPEG(t, path).At(500, 300).RGBA(); r>>8 > 80 || b>>8 < 160 {
		t.Errorf("medium not remade from the original: %d,%d", r>>8, b>>8)
	}
}

// TestRenditions_retired: a folder of a size no longer in the table is one
// stray, whole.
func TestRenditions_retired(t *testing.T) {
	l := newLib(t)
	p := add(t, l, "DSCN0010.jpg")
	old := filepath.Join(l.Root(), retiredDirs[0], p.SHA256[:2], p.SHA256+".jpg")
	os.MkdirAll(filepath.Dir(old), 0o755)
	os.WriteFile(old, []byte("a 400 px thumbnail"), 0o644)
	_, strays, err := l.Stored(context.Background())
	if err != nil || len(strays) != 1 || strays[0].Key != retiredDirs[0]+"/" || l.Store().Location(strays[0].Key) != filepath.Join(l.Root(), retiredDirs[0]) {
		t.Errorf("strays %v, %v", strays, err)
	}
}
