package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/media"
)

// A photo id can come back after its photo was deleted; renditions are
// cached as immutable, so their URLs carry the content's hash too.
func TestGallery_RenditionURLsCarryTheContent(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Public", db.GalleryInput{Access: new(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	_, body := f.get(f.client(), "/g/"+g.Slug)
	for _, kind := range []string{"t", "v"} {
		want := fmt.Sprintf("/g/%s/%s/%d?v=%s", g.Slug, kind, p.ID, p.SHA256[:12])
		if !strings.Contains(string(body), want) {
			t.Errorf("gallery page lacks %s", want)
		}
	}
	if _, err := f.store.DeletePhoto(context.Background(), g.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	q := f.addPhoto(g, testPhotos[1])
	_, body = f.get(f.client(), "/g/"+g.Slug)
	if strings.Contains(string(body), "?v="+p.SHA256[:12]) || !strings.Contains(string(body), "?v="+q.SHA256[:12]) {
		t.Errorf("after replacing photo %d (now %d) the page still names the old content", p.ID, q.ID)
	}
}

// bigPhoto writes a w×h JPEG (a gradient, shifted by the name) and
// imports it into g.
func (f *fixture) bigPhoto(g db.Gallery, name string, w, h int) db.Photo {
	f.t.Helper()
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	seed := 0
	for _, c := range name {
		seed = seed*31 + int(c) // a different picture per name
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			m.Y[y*m.YStride+x] = uint8((x*7 + y*3 + seed) % 256)
		}
	}
	path := filepath.Join(f.t.TempDir(), name)
	fl, err := os.Create(path)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := jpeg.Encode(fl, m, &jpeg.Options{Quality: 85}); err != nil {
		f.t.Fatal(err)
	}
	fl.Close()
	return f.addPhoto(g, path)
}

// TestRendition_everySize: the grid offers every rendition of the table in
// srcset with its width, each is served under its code, and one not made
// yet (a size added to the table, before doctor --repair) is answered with
// the larger one it is made from.
func TestRendition_everySize(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Public", db.GalleryInput{Access: new(db.Public)})
	p := f.bigPhoto(g, "wide.jpg", 3000, 2000)
	_, body := f.get(f.client(), "/g/"+g.Slug)
	for _, r := range media.Renditions() {
		w, h := r.Fit(3000, 2000)
		want := fmt.Sprintf("/g/%s/%s/%d?v=%s %dw", g.Slug, r.Code, p.ID, p.SHA256[:12], w)
		if !strings.Contains(string(body), want) {
			t.Errorf("grid's srcset lacks %q", want)
		}
		resp, b := f.get(f.client(), fmt.Sprintf("/g/%s/%s/%d", g.Slug, r.Code, p.ID))
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
		// Made from a larger rendition, the short side may round apart by one.
		if resp.StatusCode != 200 || err != nil || cfg.Width != w || cfg.Height < h-1 || cfg.Height > h+1 {
			t.Errorf("%s: %d, %d×%d (%v), want %d×%d", r.Name, resp.StatusCode, cfg.Width, cfg.Height, err, w, h)
		}
	}
	medium, _ := media.RenditionNamed(media.Medium)
	if err := os.Remove(renditionPath(f.lib, medium, p.SHA256)); err != nil {
		t.Fatal(err)
	}
	resp, b := f.get(f.client(), fmt.Sprintf("/g/%s/%s/%d", g.Slug, medium.Code, p.ID))
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(b))
	if resp.StatusCode != 200 || err != nil || cfg.Width != 2048 {
		t.Errorf("missing medium: %d, %d px wide (%v), want the 2048 px preview", resp.StatusCode, cfg.Width, err)
	}
}
