package main

import (
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

// checkDegraded checks what a full disk must leave working, and what
// must answer a clear 503.
func (s *site) checkDegraded(t *testing.T, base string) {
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
	for _, c := range []struct {
		what, path string
		form       url.Values
	}{
		{"a favourite", "/g/" + s.public.Slug + "/fav/" + strconv.FormatInt(s.photo.ID, 10), url.Values{"on": {"1"}, "name": {"Bea"}}},
		{"a client login", "/login", url.Values{"code": {s.code}}},
		{"a PIN", "/g/" + s.pinned.Slug + "/pin", url.Values{"pin": {sitePIN}}},
	} {
		resp, body := postForm(t, noRedirect, base+c.path, c.form, nil)
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
	s := newSite(t, mountTmpfs(t, "8m"))

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
