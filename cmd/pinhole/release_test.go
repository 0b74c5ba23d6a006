package main

import (
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRelease1_DataFolderCarriesForward opens a data folder written by the
// first release (testdata/release1: a wedding with a set, a photo, a client
// login, a PIN session typed on the set, a favourite by first name and one
// by the login, throttle records of a gallery deleted since) and checks that
// it passes doctor, keeps every name and grant, that sessions stay valid
// where they were valid, and that nothing numbered before comes back.
func TestRelease1_DataFolderCarriesForward(t *testing.T) {
	c := newCLI(t)
	if err := os.CopyFS(c.data, os.DirFS("../../testdata/release1")); err != nil {
		t.Fatal(err)
	}
	// As the release left them: written a while ago.
	old := time.Now().Add(-48 * time.Hour)
	filepath.WalkDir(c.data, func(p string, d fs.DirEntry, err error) error {
		if err == nil {
			os.Chmod(p, map[bool]os.FileMode{true: 0o700, false: 0o600}[d.IsDir()])
			os.Chtimes(p, old, old)
		}
		return err
	})
	// The release made 400 px thumbnails in thumbs/ and no medium size:
	// doctor names only those, --repair makes the new sizes and clears the
	// old folder, and then all is well.
	r := c.run("", "doctor")
	for _, line := range strings.Split(strings.TrimSpace(r.stdout), "\n")[1:] {
		f := strings.Fields(line)
		if len(f) < 2 || f[0] == "Run" {
			continue
		}
		if !(f[0] == "missing-rendition" && (strings.Contains(f[1], "/medium/") || strings.Contains(f[1], "/small/")) ||
			f[0] == "stray" && strings.HasSuffix(f[1], "/thumbs")) {
			t.Errorf("doctor on the release's folder: %s", line)
		}
	}
	if r := c.run("", "doctor", "--repair"); r.code != 0 {
		t.Fatalf("doctor --repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := c.run("", "doctor"); r.code != 0 {
		t.Fatalf("doctor after --repair: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var list []galleryJSON
	c.ok(&list, "gallery", "list")
	if len(list) != 2 {
		t.Fatalf("galleries: %+v", list)
	}
	wedding, set := list[0], list[1]
	if wedding.Parent != "" {
		wedding, set = set, wedding
	}
	if set.Effective.PINFrom != wedding.Slug || wedding.PIN != "1234" {
		t.Errorf("wedding %+v, set %+v", wedding, set)
	}
	var cl clientJSON
	c.ok(&cl, "client", "show", "ANNA-7K2Q-SMTH")
	if cl.Name != "Anna Smith" || len(cl.Opens) != 2 {
		t.Errorf("client login: %+v", cl)
	}
	if r := c.run("", "favourites", wedding.Slug); r.code != 0 || !strings.Contains(r.stdout, "Anna") || !strings.Contains(r.stdout, "Anna Smith") {
		t.Errorf("favourites: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	var fresh galleryJSON
	c.ok(&fresh, "gallery", "create", "--title", "New", "--pin", "5678")
	if fresh.ID <= 3 || fresh.PINVersion <= 3 {
		t.Errorf("new gallery id %d, PIN version %d: the deleted gallery 3 held both", fresh.ID, fresh.PINVersion)
	}

	srv := c.website()
	get := func(cookie, token, path string) bool {
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		req.AddCookie(&http.Cookie{Name: cookie, Value: token})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		// Opened: the page itself, not the PIN form (the set holds no photo, so no grid).
		return resp.StatusCode == 200 && !strings.Contains(string(b), `name="pin"`)
	}
	wc := "pinhole_g" + itoa(wedding.ID)
	if a, b := get(wc, "release-one-pin-session", "/g/"+set.Slug), get(wc, "release-one-pin-session", "/g/"+wedding.Slug); !a || !b {
		t.Logf("set %v, wedding %v", a, b)
		t.Error("the PIN session typed on the set no longer opens the set and, going up, the wedding")
	}
	if get("pinhole_g"+itoa(fresh.ID), "release-one-stale", "/g/"+fresh.Slug) {
		t.Error("a session holding a deleted gallery's PIN version opens a new gallery")
	}
	if !get("pinhole_c", "release-one-client", "/g/"+wedding.Slug) {
		t.Error("the client login's session no longer opens its gallery")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
