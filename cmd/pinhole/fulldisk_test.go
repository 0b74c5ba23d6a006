package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/media"
)

// fillDisk writes a file until the disk holding dir has no byte left,
// and returns a function that frees the space again.
func fillDisk(t *testing.T, dir string) (free func()) {
	t.Helper()
	name := filepath.Join(dir, "filler")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	for { // the last bytes of a partly written page
		if _, err := f.Write(chunk[:1]); err != nil {
			break
		}
	}
	f.Close()
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		t.Fatal(err)
	}
	if st.Bavail != 0 {
		t.Fatalf("disk not full: %d blocks free", st.Bavail)
	}
	return func() {
		if err := os.Remove(name); err != nil {
			t.Error(err)
		}
	}
}

// fullDiskSite is a data folder on a small disk: a public gallery, a PIN
// gallery and a client login.
type fullDiskSite struct {
	dir                 string
	public, pinned      db.Gallery
	photo               db.Photo
	code                string
	thumbPath, pagePath string
}

func newFullDiskSite(t *testing.T) *fullDiskSite {
	t.Helper()
	ctx := context.Background()
	dir := mountTmpfs(t, "8m")
	store, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	s := &fullDiskSite{dir: dir}
	if s.public, err = store.CreateGallery(ctx, db.GalleryInput{Title: ptrTo("Open day"), Access: ptrTo(db.Public)}); err != nil {
		t.Fatal(err)
	}
	if s.pinned, err = store.CreateGallery(ctx, db.GalleryInput{Title: ptrTo("Wedding"), PIN: ptrTo("4321")}); err != nil {
		t.Fatal(err)
	}
	mp, err := lib.Add(ctx, "../../testdata/photos/sample.jpg", media.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.photo, err = store.AddPhoto(ctx, db.Photo{GalleryID: s.public.ID, Filename: mp.Name, SHA256: mp.SHA256, Bytes: mp.Bytes, Width: mp.Width, Height: mp.Height}); err != nil {
		t.Fatal(err)
	}
	c, err := store.CreateClient(ctx, db.ClientInput{Name: ptrTo("Ada")})
	if err != nil {
		t.Fatal(err)
	}
	s.code = c.Code
	s.pagePath = "/g/" + s.public.Slug
	s.thumbPath = "/g/" + s.public.Slug + "/t/" + strconv.FormatInt(s.photo.ID, 10)
	return s
}

// serving is a pinhole serve run in the test process.
type serving struct {
	base      string // the first http:// address it prints
	out, errs *syncBuffer
	stop      func()
}

// startServe runs pinhole serve on the data folder, with the website on a
// loopback port and no SSH.
func startServe(t *testing.T, dir string, extra ...string) serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errs := &syncBuffer{}, &syncBuffer{}
	var base string
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errs, Getenv: func(string) string { return "" }}
	code := make(chan int, 1)
	args := append([]string{"--data", dir, "serve", "--http", "127.0.0.1:0", "--ssh", ""}, extra...)
	go func() {
		code <- Run(ctx, env, args)
		env.Close()
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		base = addr.FindString(out.String())
		select {
		case c := <-code:
			t.Fatalf("serve exited with %d: %s %s", c, out.String(), errs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case c := <-code:
			if c != 0 {
				t.Errorf("serve exited with %d: %s", c, errs.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return serving{base, out, errs, stop}
}

// checkDegraded checks what a full disk must leave working, and what
// must answer a clear 503.
func (s *fullDiskSite) checkDegraded(t *testing.T, base string) {
	t.Helper()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{s.pagePath, s.thumbPath, s.pagePath + "/p/" + strconv.FormatInt(s.photo.ID, 10), s.pagePath + "/d/" + strconv.FormatInt(s.photo.ID, 10), s.pagePath + "/zip", "/g/" + s.public.Slug + "/v/" + strconv.FormatInt(s.photo.ID, 10), "/g/" + s.pinned.Slug, "/"} {
		resp, err := noRedirect.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s on a full disk: %d, want 200", p, resp.StatusCode)
		}
	}
	post := func(path string, form url.Values) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	for _, c := range []struct {
		what, path string
		form       url.Values
	}{
		{"a favourite", "/g/" + s.public.Slug + "/fav/" + strconv.FormatInt(s.photo.ID, 10), url.Values{"on": {"1"}, "name": {"Bea"}}},
		{"a client login", "/login", url.Values{"code": {s.code}}},
		{"a PIN", "/g/" + s.pinned.Slug + "/pin", url.Values{"pin": {"4321"}}},
	} {
		resp, body := post(c.path, c.form)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "disk is full") {
			t.Errorf("%s on a full disk: %d, want 503 saying the disk is full:\n%s", c.what, resp.StatusCode, body)
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s on a full disk: no Retry-After", c.what)
		}
	}
}

// TestServe_FullDisk: a serve started on a full disk, and a disk that
// fills while serve runs, keep pages and photos served, to new visitors
// too; what needs a write answers a clear 503; once space is freed,
// writes work again.
func TestServe_FullDisk(t *testing.T) {
	s := newFullDiskSite(t)

	// The data folder was closed cleanly: no WAL beside the database.
	free := fillDisk(t, s.dir)
	srv := startServe(t, s.dir)
	base := srv.base
	waitOutput(t, srv.errs, regexp.MustCompile(`level=WARN msg="the disk is full`))
	t.Run("started full", func(t *testing.T) { s.checkDegraded(t, base) })
	free()
	req, _ := http.NewRequest(http.MethodPost, base+"/g/"+s.public.Slug+"/fav/"+strconv.FormatInt(s.photo.ID, 10), strings.NewReader("on=1&name=Bea"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"on":true`) {
		t.Errorf("favourite after space was freed: %d %s", resp.StatusCode, b)
	}
	srv.stop()

	srv = startServe(t, s.dir)
	free = fillDisk(t, s.dir)
	t.Run("filled while running", func(t *testing.T) { s.checkDegraded(t, srv.base) })
	srv.stop()
	free()
}
