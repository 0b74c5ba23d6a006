package web

import (
	"bytes"
	"fmt"
	"mime"
	"net/http"
	"os"
	"strings"
	"testing"

	"pinhole/db"
)

// TestFiles_ETagAndRange: strong ETags, 304 on If-None-Match, Range on
// originals.
func TestFiles_ETagAndRange(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("G", db.GalleryInput{Access: new(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	orig, err := os.ReadFile(testPhotos[0])
	if err != nil {
		t.Fatal(err)
	}
	c := f.client()
	for _, kind := range []string{"t", "v", "d"} {
		path := fmt.Sprintf("/g/%s/%s/%d", g.Slug, kind, p.ID)
		resp, body := f.get(c, path)
		etag := resp.Header.Get("ETag")
		if resp.StatusCode != 200 || !strings.HasPrefix(etag, `"`+p.SHA256) || strings.HasPrefix(etag, "W/") {
			t.Fatalf("%s: %d, ETag %q", path, resp.StatusCode, etag)
		}
		if kind == "d" && !bytes.Equal(body, orig) {
			t.Fatal("original not served byte for byte")
		}
		resp, body = f.do(c, "GET", path, nil, http.Header{"If-None-Match": {etag}})
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Fatalf("%s If-None-Match: %d, %d bytes", path, resp.StatusCode, len(body))
		}
	}
	path := fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID)
	resp, body := f.do(c, "GET", path, nil, http.Header{"Range": {"bytes=100-199"}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, orig[100:200]) {
		t.Fatalf("range: %d, %d bytes", resp.StatusCode, len(body))
	}
	if cr := resp.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes 100-199/%d", len(orig)) {
		t.Fatalf("Content-Range %q", cr)
	}
	resp, body = f.do(c, "GET", path, nil, http.Header{"Range": {fmt.Sprintf("bytes=%d-", len(orig)-10)}})
	if resp.StatusCode != 206 || !bytes.Equal(body, orig[len(orig)-10:]) {
		t.Fatalf("suffix range: %d", resp.StatusCode)
	}
}

// TestFiles_Disposition: the original file name, RFC 6266, non-ASCII too.
func TestFiles_Disposition(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("G", db.GalleryInput{Access: new(db.Public)})
	for i, name := range []string{"IMG_0001.JPG", "Café été 🌅.jpg", "naïve \"quote\".jpg"} {
		p := f.addPhotoNamed(g, testPhotos[i], name)
		resp, _ := f.get(f.client(), fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID))
		cd := resp.Header.Get("Content-Disposition")
		typ, params, err := mime.ParseMediaType(cd)
		if err != nil || typ != "attachment" {
			t.Fatalf("%q: %q (%v)", name, cd, err)
		}
		// mime decodes filename* and prefers it.
		if params["filename"] != name {
			t.Errorf("%q: Content-Disposition %q gives %q", name, cd, params["filename"])
		}
	}
	// A web-size gallery hands out the preview as NAME.jpg.
	w := f.gallery("W", db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsWeb)})
	p := f.addPhotoNamed(w, testPhotos[0], "scan.jpeg")
	resp, body := f.get(f.client(), fmt.Sprintf("/g/%s/d/%d", w.Slug, p.ID))
	orig, _ := os.ReadFile(testPhotos[0])
	if resp.StatusCode != 200 || bytes.Equal(body, orig) || !strings.Contains(resp.Header.Get("Content-Disposition"), `"scan.jpeg"`) {
		t.Fatalf("web size: %d, %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"IMG_0001.JPG":     "IMG_0001.JPG",
		"../../etc/passwd": "._._etc_passwd",
		"a\\b.jpg":         "a_b.jpg",
		"..":               "photo",
		"":                 "photo",
		"bad\xffname.jpg":  "bad_name.jpg",
		"x..y.jpg":         "x.y.jpg",
	} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
