package web

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"testing"

	"pinhole/db"
	"pinhole/media"
	"pinhole/media/storetest"
)

// TestStore_Streamed: photo files from a store whose objects are not
// files (as a bucket's) are served as from the folder: renditions whole,
// by Range and by If-None-Match, the original, and the ZIP with its exact
// length, whole and resumed.
func TestStore_Streamed(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Library = media.New(storetest.Streamed(c.Library.Store())) })
	g := f.gallery("Streamed", db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsOriginal)})
	var ps []db.Photo
	for _, p := range testPhotos[:3] {
		ps = append(ps, f.addPhoto(g, p))
	}
	c := f.client()
	for _, p := range ps {
		for _, r := range media.Renditions() {
			path := fmt.Sprintf("/g/%s/%s/%d", g.Slug, r.Code, p.ID)
			want, err := os.ReadFile(renditionPath(f.lib, r, p.SHA256))
			if err != nil {
				t.Fatal(err)
			}
			for range 2 { // the thumbnail: read, then at hand
				resp, body := f.get(c, path)
				if resp.StatusCode != 200 || !bytes.Equal(body, want) || resp.ContentLength != int64(len(want)) {
					t.Fatalf("%s: %d, %d bytes (length %d), want %d", path, resp.StatusCode, len(body), resp.ContentLength, len(want))
				}
			}
			resp, body := f.do(c, "GET", path, nil, http.Header{"Range": {"bytes=100-199"}})
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[100:200]) {
				t.Errorf("%s Range: %d, %d bytes", path, resp.StatusCode, len(body))
			}
			resp, _ = f.do(c, "GET", path, nil, http.Header{"If-None-Match": {resp.Header.Get("ETag")}})
			if resp.StatusCode != http.StatusNotModified {
				t.Errorf("%s If-None-Match: %d", path, resp.StatusCode)
			}
		}
		want, _ := os.ReadFile(originalPath(f.lib, p.SHA256))
		path := fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID)
		if resp, body := f.get(c, path); resp.StatusCode != 200 || !bytes.Equal(body, want) {
			t.Errorf("%s: %d, %d bytes, want %d", path, resp.StatusCode, len(body), len(want))
		}
		if resp, body := f.do(c, "GET", path, nil, http.Header{"Range": {"bytes=-10"}}); resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[len(want)-10:]) {
			t.Errorf("%s last 10 bytes: %d, %q", path, resp.StatusCode, body)
		}
	}
	resp, body := f.get(c, "/g/"+g.Slug+"/zip")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
		t.Fatalf("ZIP: %d, Content-Length %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Length"), len(body))
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil || len(zr.File) != len(ps) {
		t.Fatalf("ZIP: %v, %d entries", err, len(zr.File))
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil { // checks the CRC
			t.Errorf("%s: %v", zf.Name, err)
		}
		rc.Close()
	}
	from := len(body) / 2
	resp, rest := f.do(c, "GET", "/g/"+g.Slug+"/zip", nil, http.Header{"Range": {fmt.Sprintf("bytes=%d-", from)}, "If-Range": {resp.Header.Get("ETag")}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(rest, body[from:]) {
		t.Errorf("resumed ZIP: %d, %d bytes, want the last %d", resp.StatusCode, len(rest), len(body)-from)
	}
}
