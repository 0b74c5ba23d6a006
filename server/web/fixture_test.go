package web

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
	"pinhole/media"
)

// testPhotos are JPEGs in the repository's testdata/photos (see its MANIFEST.tsv).
var testPhotos = []string{
	"../../testdata/photos/ianare_exif-samples/jpg/Canon_PowerShot_S40.jpg",
	"../../testdata/photos/libvips_libvips/test/test-suite/images/rotation/6.jpg",
	"../../testdata/photos/libvips_libvips/test/test-suite/images/rotation/8.jpg",
	"../../testdata/photos/sample.jpg",
	"../../testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg",
}

// fixture is a real store, library and handler behind a real HTTP server.
type fixture struct {
	t     testing.TB
	dir   string
	store *db.Store
	lib   *media.Library
	clock *dbtest.Clock
	h     *Handler
	srv   *httptest.Server
}

func newFixture(t testing.TB, opts ...func(*Config)) *fixture {
	t.Helper()
	dir := t.TempDir()
	clk := dbtest.NewClock(time.Now().Truncate(time.Second))
	store := dbtest.OpenAt(t, filepath.Join(dir, "pinhole.db"), clk)
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Store: store, Library: lib, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, o := range opts {
		o(&cfg)
	}
	f := &fixture{t: t, dir: dir, store: store, lib: cfg.Library, clock: clk}
	f.srv = httptest.NewUnstartedServer(nil)
	f.srv.Start()
	t.Cleanup(f.srv.Close)
	if cfg.BaseURL == "" {
		cfg.BaseURL = f.srv.URL
	}
	f.h, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv.Config.Handler = f.h
	return f
}

// gallery creates a gallery with settings.
func (f *fixture) gallery(title string, in db.GalleryInput) db.Gallery {
	f.t.Helper()
	in.Title = &title
	g, err := f.store.CreateGallery(context.Background(), in)
	if err != nil {
		f.t.Fatal(err)
	}
	return g
}

// addPhoto imports a file through the media pipeline into a gallery.
func (f *fixture) addPhoto(g db.Gallery, path string) db.Photo {
	f.t.Helper()
	ctx := context.Background()
	mp, err := f.lib.Add(ctx, path, media.Options{Workers: 1})
	if err != nil {
		f.t.Fatalf("import %s: %v", path, err)
	}
	p, err := f.store.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: mp.Name, SHA256: mp.SHA256, Bytes: mp.Bytes,
		Width: mp.Width, Height: mp.Height, TakenAt: mp.TakenAt, Camera: mp.Camera})
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

// addPhotoNamed imports path under another file name.
func (f *fixture) addPhotoNamed(g db.Gallery, path, name string) db.Photo {
	f.t.Helper()
	dst := filepath.Join(f.t.TempDir(), name)
	b, err := os.ReadFile(path)
	if err != nil {
		f.t.Fatal(err)
	}
	if err := os.WriteFile(dst, b, 0o644); err != nil {
		f.t.Fatal(err)
	}
	return f.addPhoto(g, dst)
}

// client is a browser-like HTTP client that does not follow redirects.
func (f *fixture) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// get fetches a path and returns the response with its body read.
func (f *fixture) do(c *http.Client, method, path string, form url.Values, hdr http.Header) (*http.Response, []byte) {
	f.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, f.srv.URL+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		f.t.Fatal(err)
	}
	return resp, b
}

func (f *fixture) get(c *http.Client, path string) (*http.Response, []byte) {
	return f.do(c, http.MethodGet, path, nil, nil)
}

// session makes a session directly in the store and returns its token.
func (f *fixture) session(s db.Session) string {
	f.t.Helper()
	if s.ExpiresAt.IsZero() {
		s.ExpiresAt = f.clock.Now().Add(SessionTTL)
	}
	if s.PINVersion != 0 && s.PINGalleryID == 0 {
		// As a PIN typed on that gallery's page: bound to the gallery whose PIN applies.
		s.PINGalleryID = f.pinGallery(s.GalleryID)
	}
	tok, _, err := f.store.CreateSession(context.Background(), s)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

// pinGallery is the id of the gallery whose PIN applies to gallery id.
func (f *fixture) pinGallery(id int64) int64 {
	f.t.Helper()
	ctx := context.Background()
	g, err := f.store.GalleryByID(ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	if g.ParentID == 0 || g.Access != db.Inherit {
		return g.ID
	}
	return g.ParentID
}

// withCookie is a client holding one cookie.
func (f *fixture) withCookie(name, value string) *http.Client {
	c := f.client()
	u, _ := url.Parse(f.srv.URL)
	c.Jar.SetCookies(u, []*http.Cookie{{Name: name, Value: value, Path: "/"}})
	return c
}

// zipNames downloads a ZIP and returns its entries' names, in order,
// after reading every entry through (which checks its CRC).
func (f *fixture) zipNames(c *http.Client, path string) []string {
	f.t.Helper()
	resp, body := f.get(c, path)
	if resp.StatusCode != 200 {
		f.t.Fatalf("%s: %d", path, resp.StatusCode)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		f.t.Fatal(err)
	}
	var names []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err == nil {
			_, err = io.Copy(io.Discard, rc)
			rc.Close()
		}
		if err != nil {
			f.t.Fatalf("%s: %s: %v", path, zf.Name, err)
		}
		names = append(names, zf.Name)
	}
	return names
}
