package main

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCLI_Effective: what the command line says about a gallery is what a
// client meets — a sub-gallery shows its parent's expiry and PIN, an
// expired gallery is not "published", a share text warns when the link
// will not open, and a client login counts only what opens.
func TestCLI_Effective(t *testing.T) {
	c := newCLI(t)
	last := time.Now().AddDate(0, 2, 0).Format(time.DateOnly)
	var parent, kid, draft, gone galleryJSON
	c.ok(&parent, "gallery", "create", "--title", "Wedding", "--pin", "4321", "--expires", last)
	c.ok(&kid, "gallery", "create", "--title", "Ceremony", "--parent", parent.Slug)
	c.ok(&draft, "gallery", "create", "--title", "Proofs", "--draft")
	c.ok(&gone, "gallery", "create", "--title", "Old party", "--access", "public")

	var show galleryJSON
	c.ok(&show, "gallery", "show", kid.Slug)
	if show.Effective.Expires != last || show.Effective.PINFrom != parent.Slug || show.Effective.Access != "pin" || show.Effective.State != "open" {
		t.Errorf("sub-gallery effective = %+v, want expiry %s and the PIN of %s", show.Effective, last, parent.Slug)
	}
	if r := c.run("", "gallery", "show", kid.Slug); !strings.Contains(r.stdout, last+" (its parent's)") || !strings.Contains(r.stdout, "4321") {
		t.Errorf("gallery show:\n%s", r.stdout)
	}
	var share map[string]string
	c.ok(&share, "gallery", "share", kid.Slug)
	if strings.Contains(share["link_message"], "further notice") || share["pin"] != "4321" {
		t.Errorf("share of the sub-gallery: %v", share)
	}
	share = nil
	c.ok(&share, "gallery", "share", draft.Slug)
	if !strings.Contains(share["warning"], "will not open yet: the gallery is a draft") {
		t.Errorf("share of a draft: warning %q", share["warning"])
	}
	share = nil
	c.ok(&share, "gallery", "share", gone.Slug)
	if share["warning"] != "" || share["pin"] != "" {
		t.Errorf("share of a public gallery: %v", share)
	}
	if r := c.run("", "gallery", "share", gone.Slug); strings.Contains(r.stdout, "apart") {
		t.Errorf("no PIN, yet the text says to send it apart:\n%s", r.stdout)
	}

	// Time passes for the party and for the wedding.
	raw, err := sql.Open("sqlite", filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour).Unix()
	if _, err := raw.Exec("UPDATE galleries SET expires_at = ? WHERE slug IN (?, ?)", past, gone.Slug, parent.Slug); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	var list []galleryJSON
	c.ok(&list, "gallery", "list")
	states := map[string]string{}
	for _, g := range list {
		states[g.Slug] = g.Effective.State
	}
	want := map[string]string{parent.Slug: "expired", kid.Slug: "closed-with-parent", draft.Slug: "draft", gone.Slug: "expired"}
	for s, w := range want {
		if states[s] != w {
			t.Errorf("%s: effective state %q, want %q", s, states[s], w)
		}
	}
	r := c.run("", "gallery", "list")
	for _, line := range strings.Split(r.stdout, "\n") {
		if strings.Contains(line, gone.Slug) && (strings.Contains(line, "published") || !strings.Contains(line, "expired")) {
			t.Errorf("expired gallery listed as %q", line)
		}
	}
	share = nil
	c.ok(&share, "gallery", "share", kid.Slug)
	if !strings.Contains(share["warning"], "its parent gallery Wedding has expired") {
		t.Errorf("share of a sub-gallery closed with its parent: warning %q", share["warning"])
	}

	// A login granted the expired wedding (and so its set) and the draft
	// opens nothing now, and says why.
	var cl clientJSON
	c.ok(&cl, "client", "create", "--name", "Ann")
	c.ok(nil, "client", "grant", cl.Code, parent.Slug, draft.Slug)
	c.ok(&cl, "client", "show", cl.Code)
	if len(cl.Opens) != 3 {
		t.Fatalf("opens = %+v, want the wedding, its set and the draft", cl.Opens)
	}
	for _, o := range cl.Opens {
		if o.Unreachable == "" {
			t.Errorf("%s said to open", o.Slug)
		}
	}
	r = c.run("", "client", "show", cl.Code)
	if !strings.Contains(r.stdout, "This login opens 0 galleries") || !strings.Contains(r.stdout, "its parent Wedding has expired") {
		t.Errorf("client show:\n%s", r.stdout)
	}
	r = c.run("", "client", "list")
	if !strings.Contains(r.stdout, "0 galleries") {
		t.Errorf("client list:\n%s", r.stdout)
	}
}
