package main

import (
	"database/sql"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestPromise_ExpiredDraft: a draft whose last day has passed is not
// "not open yet, publish it first": publishing it opens nothing, and its
// preview shows the expired page. What gallery show and share say is what
// the website does once it is published.
func TestPromise_ExpiredDraft(t *testing.T) {
	c := newCLI(t)
	photo, err := filepath.Abs("../../testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg")
	if err != nil {
		t.Fatal(err)
	}
	var g galleryJSON
	c.ok(&g, "gallery", "create", "--title", "Proofs", "--access", "public", "--draft")
	c.ok(nil, "import", g.Slug, photo)
	raw, err := sql.Open("sqlite", filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE galleries SET expires_at = ? WHERE slug = ?", time.Now().Add(-time.Hour).Unix(), g.Slug); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	show := c.run("", "gallery", "show", g.Slug).stdout
	var share map[string]string
	c.ok(&share, "gallery", "share", g.Slug)
	for what, said := range map[string]string{"gallery show": show, "the share warning": share["warning"]} {
		if strings.Contains(said, "publish it first") || strings.Contains(said, "not open yet") || !strings.Contains(said, "expired") {
			t.Errorf("%s of an expired draft: %q, want it to say it has expired", what, said)
		}
	}

	for _, line := range strings.Split(c.run("", "gallery", "list").stdout, "\n") {
		if strings.HasPrefix(line, g.Slug) && !strings.Contains(line, "expired") {
			t.Errorf("gallery list of an expired draft: %q, want it to say it has expired", line)
		}
	}
	var list []galleryJSON
	c.ok(&list, "gallery", "list")
	if len(list) != 1 || !list[0].Effective.Expired {
		t.Errorf("gallery list --json of an expired draft: %+v, want effective.expired", list)
	}

	srv := c.website()
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	var p previewJSON
	c.ok(&p, "gallery", "preview", g.Slug)
	u, _ := url.Parse(p.URL)
	resp, err := b.Get(srv.URL + u.Path)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp, err = b.Get(srv.URL + "/g/" + g.Slug); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Errorf("the preview of an expired draft: %d, want the expired page (410)", resp.StatusCode)
	}
	c.ok(nil, "gallery", "set", g.Slug, "--draft=false")
	if resp, err = http.Get(srv.URL + "/g/" + g.Slug); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusGone {
		t.Errorf("published, the expired gallery answers %d, want 410", resp.StatusCode)
	}
}

// TestPromise_SetUnderAPickLimit: a set without a limit of its own is held
// to its parent's, counted over the collection: gallery show says so, and
// the website refuses the pick past it on the set's page.
func TestPromise_SetUnderAPickLimit(t *testing.T) {
	c := newCLI(t)
	var top, set galleryJSON
	c.ok(&top, "gallery", "create", "--title", "Wedding", "--access", "public", "--max-picks", "1")
	c.ok(&set, "gallery", "create", "--title", "Dinner", "--parent", top.Slug)
	for _, name := range []string{"golang_image/testdata/go-turns-two-280x360.jpeg", "video-001.jpeg"} {
		photo, err := filepath.Abs("../../testdata/photos/" + name)
		if err != nil {
			t.Fatal(err)
		}
		c.ok(nil, "import", top.Slug, photo)
		c.ok(nil, "import", set.Slug, photo)
	}
	show := c.run("", "gallery", "show", set.Slug).stdout
	if !strings.Contains(show, "up to 1 per visitor") {
		t.Errorf("gallery show of the set says nothing of its parent's limit:\n%s", show)
	}

	srv := c.website()
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	pick := func(slug string, id int64) int {
		form := url.Values{"name": {"Zoe"}, "on": {"1"}}
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/g/%s/fav/%d", srv.URL, slug, id), strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", srv.URL)
		req.Header.Set("Accept", "application/json")
		resp, err := b.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	var ps []photoJSON
	c.ok(&ps, "photo", "list", set.Slug)
	if got := pick(set.Slug, ps[0].ID); got != http.StatusOK {
		t.Fatalf("the first pick on the set: %d", got)
	}
	if got := pick(set.Slug, ps[1].ID); got == http.StatusOK {
		t.Errorf("a second pick on the set passed the parent's limit of 1 that gallery show states")
	}
}

// TestPromise_Listed: a gallery is said to be listed only when the home
// page shows it: a public, open gallery at the top. A PIN gallery, a set
// or a draft marked --listed is said not to be on it, and is not.
func TestPromise_Listed(t *testing.T) {
	c := newCLI(t)
	var pub, pin, set, draft galleryJSON
	c.ok(&pub, "gallery", "create", "--title", "Open day", "--access", "public", "--listed")
	c.ok(&pin, "gallery", "create", "--title", "Wedding", "--listed")
	c.ok(&set, "gallery", "create", "--title", "Dinner", "--parent", pub.Slug, "--listed")
	c.ok(&draft, "gallery", "create", "--title", "Proofs", "--access", "public", "--listed", "--draft")
	srv := c.website()
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	home, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var list []galleryJSON
	c.ok(&list, "gallery", "list")
	for _, g := range list {
		shown := strings.Contains(string(home), `href="/g/`+g.Slug+`"`)
		if g.Effective.Listed != shown {
			t.Errorf("%s: gallery list --json says listed %v, the home page shows it %v", g.Title, g.Effective.Listed, shown)
		}
		show := c.run("", "gallery", "show", g.Slug).stdout
		if said := strings.Contains(show, ", listed"); said != shown {
			t.Errorf("%s: gallery show says listed %v, the home page shows it %v:\n%s", g.Title, said, shown, show)
		}
	}
}
