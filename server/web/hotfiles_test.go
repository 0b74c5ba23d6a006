package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"pinhole/db"
	"pinhole/media"
)

// TestHotFiles_Thumbnail: a thumbnail sent from memory is the file on
// disk byte for byte, the first time and after, with the same answers to
// HEAD, If-None-Match and Range as a file sent from disk.
func TestHotFiles_Thumbnail(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("G", db.GalleryInput{Access: new(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	want, err := os.ReadFile(thumbnailPath(f.lib, p.SHA256))
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID)
	c := f.client()
	for i := range 2 {
		resp, body := f.get(c, path)
		if resp.StatusCode != 200 || !bytes.Equal(body, want) {
			t.Fatalf("GET %d: %d, %d bytes, want %d", i, resp.StatusCode, len(body), len(want))
		}
		if cl := resp.Header.Get("Content-Length"); cl != fmt.Sprint(len(want)) {
			t.Fatalf("GET %d: Content-Length %q", i, cl)
		}
		if resp.Header.Get("Cache-Control") != immutable || resp.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("GET %d: headers %v", i, resp.Header)
		}
	}
	if _, ok := f.h.hot.files[p.SHA256]; !ok {
		t.Fatal("the thumbnail was not kept in memory")
	}
	// The same file sent from disk answers alike.
	rec := httptest.NewRecorder()
	f.h.serveFile(rec, httptest.NewRequest("GET", path, nil), media.RenditionKey(renditionNamed(media.Thumbnail), p.SHA256), renditionETag(p.SHA256, renditionNamed(media.Thumbnail).Code), "image/jpeg")
	resp, body := f.get(c, path)
	for _, k := range []string{"Etag", "Content-Length", "Content-Type", "Cache-Control", "Accept-Ranges"} {
		if got, want := resp.Header.Get(k), rec.Header().Get(k); got != want || want == "" {
			t.Errorf("%s: %q from memory, %q from disk", k, got, want)
		}
	}
	if !bytes.Equal(body, rec.Body.Bytes()) {
		t.Error("memory and disk send different bytes")
	}
	resp, body = f.do(c, "HEAD", path, nil, nil)
	if resp.StatusCode != 200 || len(body) != 0 || resp.ContentLength != int64(len(want)) {
		t.Fatalf("HEAD: %d, %d bytes, length %d", resp.StatusCode, len(body), resp.ContentLength)
	}
	resp, body = f.do(c, "GET", path, nil, http.Header{"Range": {"bytes=10-19"}})
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[10:20]) {
		t.Fatalf("Range: %d, %q", resp.StatusCode, body)
	}
	resp, body = f.do(c, "GET", path, nil, http.Header{"If-None-Match": {resp.Header.Get("ETag")}})
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Fatalf("If-None-Match: %d, %d bytes", resp.StatusCode, len(body))
	}
}

// TestHotFiles_Bounded: the memory kept never passes hotMax, whatever is
// asked for; a file dropped while an answer still sends it stays whole
// until that answer is done; files that are empty, over hotFileMax,
// missing, or folders are not kept.
func TestHotFiles_Bounded(t *testing.T) {
	folder, err := media.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	path := func(k string) string { return folder.Location(media.RenditionKey(renditionNamed(media.Thumbnail), k)) }
	if err := os.MkdirAll(filepath.Dir(path("0")), 0o755); err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte{0xA5}, hotFileMax)
	n := 2*hotMax/hotFileMax + 3
	var c hotFiles
	var first *hotFile // held throughout, as by a slow answer
	// Eviction picks at random: go on until the first file has gone too.
	for i := 0; i < n || c.files["0"] != nil; i++ {
		if i > 100*n {
			t.Fatal("the first file was never dropped")
		}
		k := fmt.Sprint(i)
		if err := os.WriteFile(path(k), data, 0o644); err != nil {
			t.Fatal(err)
		}
		hf, ok := c.get(t.Context(), folder, k)
		if !ok || !bytes.Equal(hf.body, data) || hf.length[0] != fmt.Sprint(len(data)) || hf.etag[0] != `"`+k+`-t"` {
			t.Fatalf("file %d: ok %v, or the wrong bytes or headers", i, ok)
		}
		if i == 0 {
			first = hf
		} else {
			hf.done()
		}
		var sum int64
		for _, v := range c.files {
			sum += int64(len(v.body))
		}
		if sum != c.size || c.size > hotMax {
			t.Fatalf("after %d files: %d bytes kept, counted %d, bound %d", i+1, sum, c.size, hotMax)
		}
	}
	if len(c.files) < hotMax/hotFileMax*8/10 {
		t.Errorf("only %d files kept", len(c.files))
	}
	if first.refs.Load() != 1 || !bytes.Equal(first.body, data) {
		t.Fatalf("a dropped file still being sent: %d holds, or its bytes changed", first.refs.Load())
	}
	first.done()
	for k, v := range c.files {
		if v.refs.Load() != 1 {
			t.Errorf("%s: %d holds with nothing being sent", k, v.refs.Load())
		}
	}
	if err := os.WriteFile(path("empty"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path("big"), append(data, 0), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(path("dir"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"big", "dir", "missing", "empty"} {
		if _, ok := c.get(t.Context(), folder, k); ok {
			t.Errorf("%s: kept", k)
		}
		if _, ok := c.files[k]; ok {
			t.Errorf("%s: in memory", k)
		}
	}
}

// TestHotFiles_Concurrent: answers sending files while others fill the
// cache and drop files from it always see whole, right bytes (a file
// unmapped while still being sent would fault).
func TestHotFiles_Concurrent(t *testing.T) {
	folder, err := media.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	path := func(k string) string { return folder.Location(media.RenditionKey(renditionNamed(media.Thumbnail), k)) }
	if err := os.MkdirAll(filepath.Dir(path("0")), 0o755); err != nil {
		t.Fatal(err)
	}
	const files = 3 * hotMax / (hotFileMax / 2)
	for i := range files {
		if err := os.WriteFile(path(fmt.Sprint(i)), bytes.Repeat([]byte{byte(i)}, hotFileMax/2), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var c hotFiles
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for j := range 300 {
				i := (g*131 + j*17) % files
				f, ok := c.get(t.Context(), folder, fmt.Sprint(i))
				if !ok {
					t.Errorf("file %d not kept", i)
					return
				}
				runtime.Gosched() // as a slow answer would, while others drop it
				// Every byte is read, so an unmapped page would fault.
				if len(f.body) != hotFileMax/2 || f.body[0] != byte(i) || bytes.Count(f.body, f.body[:1]) != len(f.body) {
					t.Errorf("file %d: wrong bytes", i)
				}
				f.done()
			}
		})
	}
	wg.Wait()
	for k, v := range c.files {
		if v.refs.Load() != 1 {
			t.Errorf("%s: %d holds after every answer is done", k, v.refs.Load())
		}
	}
}
