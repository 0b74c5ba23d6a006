package main

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pinhole/internal/testio"
	"pinhole/mail/mailpittest"
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

// TestPromise_QueuedShareMail: a link message that waited in the outbox
// (the mail server was away) is not sent once its link no longer opens —
// the gallery was deleted, or made a draft, meanwhile — and the activity
// says why; one whose gallery still opens goes out as before.
func TestPromise_QueuedShareMail(t *testing.T) {
	dir := t.TempDir()
	mp := mailpittest.Start(t, false)
	var slugs []string
	for _, title := range []string{"Kept", "Deleted", "Drafted"} {
		code, out, errs := run(t, dir, "gallery", "create", "--title", title, "--access", "public", "--json")
		var g galleryJSON
		if code != 0 || json.Unmarshal([]byte(out), &g) != nil {
			t.Fatalf("create %s: %s", title, errs)
		}
		slugs = append(slugs, g.Slug)
	}
	for _, kv := range [][2]string{{"smtp-url", "smtp://" + testio.FreeAddr(t)}, {"mail-from", "studio@example.com"}} {
		if code, _, errs := run(t, dir, "config", "set", kv[0], kv[1]); code != 0 {
			t.Fatalf("config set %s: %s", kv[0], errs)
		}
	}
	for _, s := range slugs {
		if code, _, errs := run(t, dir, "gallery", "share", s, "--email", "anna@example.com"); code == 0 || !strings.Contains(errs, "stays queued") {
			t.Fatalf("share %s with the mail server away: exit %d %s", s, code, errs)
		}
	}
	run(t, dir, "gallery", "delete", slugs[1], "--yes")
	run(t, dir, "gallery", "set", slugs[2], "--draft")
	// The mail server is back, and the next try is due.
	run(t, dir, "config", "set", "smtp-url", mp.URL())
	raw, err := sql.Open("sqlite", filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE outbox SET next_at = ?", time.Now().Add(-time.Second).Unix()); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	if code, _, errs := run(t, dir, "gallery", "share", slugs[0], "--email", "ben@example.com"); code != 0 {
		t.Fatalf("share with the mail server back: %s", errs)
	}
	// Delivery is done when share ends: the links that do not open would
	// have gone out in the same run, before Kept's to ben.
	var got []string
	for _, m := range mp.Wait(t, 2) {
		got = append(got, m.To[0]+": "+m.Subject)
		for _, s := range slugs[1:] {
			if strings.Contains(m.Text, "/g/"+s) {
				t.Errorf("sent a link that does not open: %s\n%s", m.Subject, m.Text)
			}
		}
	}
	if len(got) != 2 {
		t.Errorf("sent %q, want Kept's link to anna and to ben", got)
	}
	if _, out, _ := run(t, dir, "activity"); !strings.Contains(out, "the gallery is a draft") {
		t.Errorf("the activity does not say why the draft's link was not sent:\n%s", out)
	}
}

// TestPromise_NavigateUp: gallery show of a set that lets visitors go up
// says whether the PIN typed on the set opens the parent too, and the
// website does what it says.
func TestPromise_NavigateUp(t *testing.T) {
	c := newCLI(t)
	photo, err := filepath.Abs("../../testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg")
	if err != nil {
		t.Fatal(err)
	}
	var top, follows, own galleryJSON
	c.ok(&top, "gallery", "create", "--title", "Wedding", "--pin", "1357")
	c.ok(&follows, "gallery", "create", "--title", "Dinner", "--parent", top.Slug, "--navigate-up")
	c.ok(&own, "gallery", "create", "--title", "Portraits", "--parent", top.Slug, "--access", "pin", "--pin", "2468", "--navigate-up")
	c.ok(nil, "import", top.Slug, photo)
	srv := c.website()
	for _, tc := range []struct {
		set        galleryJSON
		pin, said  string
		opensAbove bool
	}{
		{follows, "1357", "the PIN typed here opens it too", true},
		{own, "2468", "asks for its own PIN", false},
	} {
		show := c.run("", "gallery", "show", tc.set.Slug).stdout
		if !strings.Contains(show, "visitors may go up to "+top.Slug) || !strings.Contains(show, tc.said) {
			t.Errorf("gallery show of %s does not say %q:\n%s", tc.set.Title, tc.said, show)
		}
		jar, _ := cookiejar.New(nil)
		b := &http.Client{Jar: jar}
		if _, err := b.PostForm(srv.URL+"/g/"+tc.set.Slug+"/pin", url.Values{"pin": {tc.pin}}); err != nil {
			t.Fatal(err)
		}
		resp, err := b.Get(srv.URL + "/g/" + top.Slug)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if got := strings.Contains(string(page), `id="grid"`); got != tc.opensAbove {
			t.Errorf("the PIN typed on %s opens %s: %v, want %v", tc.set.Title, top.Title, got, tc.opensAbove)
		}
	}
}

// TestPromise_PINInJSON: the pin that gallery show --json gives is the PIN
// a client types there, as the text says: a set that takes its parent's
// PIN gives the parent's (not one of its own kept from before, which opens
// nothing), a public gallery none.
func TestPromise_PINInJSON(t *testing.T) {
	c := newCLI(t)
	var top, set, pub galleryJSON
	c.ok(&top, "gallery", "create", "--title", "Wedding", "--pin", "1357")
	c.ok(&set, "gallery", "create", "--title", "Dinner", "--parent", top.Slug, "--access", "pin", "--pin", "2468")
	c.ok(nil, "gallery", "set", set.Slug, "--access", "inherit")
	// A new PIN where none of its own is asked is refused, as the TUI
	// refuses it, rather than made and shown nowhere.
	if r := c.run("", "gallery", "set", set.Slug, "--new-pin"); r.code == 0 || !strings.Contains(r.stderr, "no PIN of its own") {
		t.Errorf("gallery set --new-pin on a set that takes its parent's PIN: exit %d %q", r.code, r.stderr)
	}
	if r := c.run("", "gallery", "set", set.Slug, "--access", "pin", "--new-pin"); r.code != 0 {
		t.Errorf("--access pin --new-pin: exit %d %q", r.code, r.stderr)
	}
	c.ok(nil, "gallery", "set", set.Slug, "--access", "inherit")
	c.ok(&pub, "gallery", "create", "--title", "Open day", "--pin", "9753")
	c.ok(nil, "gallery", "set", pub.Slug, "--access", "public")
	srv := c.website()
	for _, tc := range []struct {
		g    galleryJSON
		want string
	}{{set, "1357"}, {pub, ""}} {
		var g galleryJSON
		c.ok(&g, "gallery", "show", tc.g.Slug)
		if g.PIN != tc.want {
			t.Errorf("%s: gallery show --json gives the PIN %q, want %q", g.Title, g.PIN, tc.want)
		}
		if text := c.run("", "gallery", "show", tc.g.Slug).stdout; tc.want != "" && !strings.Contains(text, "PIN        "+tc.want) {
			t.Errorf("%s: the text gives another PIN than %s:\n%s", g.Title, tc.want, text)
		}
	}
	var g, t0 galleryJSON
	c.ok(&g, "gallery", "show", set.Slug)
	c.ok(&t0, "gallery", "show", top.Slug)
	c.ok(nil, "gallery", "set", top.Slug, "--new-pin")
	if g.PINVersion != t0.PINVersion {
		t.Errorf("the set's pin_version is %d beside its parent's PIN, whose version is %d", g.PINVersion, t0.PINVersion)
	}
	// A new PIN on the parent is a new PIN for the set: its version moves.
	var after galleryJSON
	c.ok(&after, "gallery", "show", set.Slug)
	if after.PINVersion == g.PINVersion {
		t.Errorf("a new PIN on the parent left the set's pin_version at %d", after.PINVersion)
	}
	g = after
	jar, _ := cookiejar.New(nil)
	b := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := b.PostForm(srv.URL+"/g/"+set.Slug+"/pin", url.Values{"pin": {g.PIN}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the PIN %q that gallery show --json gives for the set: %d", g.PIN, resp.StatusCode)
	}
}

// TestPromise_PreviewSaysWhatItShows: gallery preview of a gallery whose
// link does not open says so, and what its preview shows: a draft as it
// will be once published (the website shows it), an expired gallery not
// at all (the website shows the expired page).
func TestPromise_PreviewSaysWhatItShows(t *testing.T) {
	c := newCLI(t)
	photo, err := filepath.Abs("../../testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg")
	if err != nil {
		t.Fatal(err)
	}
	var draft, gone galleryJSON
	c.ok(&draft, "gallery", "create", "--title", "Proofs", "--access", "public", "--draft")
	c.ok(&gone, "gallery", "create", "--title", "Old party", "--access", "public")
	c.ok(nil, "import", draft.Slug, photo)
	c.ok(nil, "import", gone.Slug, photo)
	raw, err := sql.Open("sqlite", filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec("UPDATE galleries SET expires_at = ? WHERE slug = ?", time.Now().Add(-time.Hour).Unix(), gone.Slug); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	srv := c.website()
	for _, tc := range []struct {
		g          galleryJSON
		said       string
		shows      bool
		statusWant int
	}{
		{draft, "as clients will see it once it opens", true, http.StatusOK},
		{gone, "nor does the preview", false, http.StatusGone},
	} {
		var p previewJSON
		c.ok(&p, "gallery", "preview", tc.g.Slug)
		if !strings.Contains(p.Warning, tc.said) {
			t.Errorf("gallery preview of %s: warning %q, want it to say %q", tc.g.Title, p.Warning, tc.said)
		}
		// The warning is not contradicted below it: the client does not
		// see what the preview shows.
		if text := c.run("", "gallery", "preview", tc.g.Slug).stdout; !strings.Contains(text, tc.said) || strings.Contains(text, "exactly as the client sees it") {
			t.Errorf("gallery preview of %s says:\n%s", tc.g.Title, text)
		}
		u, _ := url.Parse(p.URL)
		jar, _ := cookiejar.New(nil)
		b := &http.Client{Jar: jar}
		resp, err := b.Get(srv.URL + u.Path)
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.statusWant || strings.Contains(string(page), `id="grid"`) != tc.shows {
			t.Errorf("the preview of %s: %d, grid shown %v; want %d, %v", tc.g.Title, resp.StatusCode, !tc.shows, tc.statusWant, tc.shows)
		}
	}
}
