package main

import (
	"strconv"
	"strings"
	"testing"
)

// TestCLI_StudioLook: the logo is imported from a file, the accent colour
// and contact details are checked, and a gallery's cover is chosen by
// photo id; bad input is refused with a message and changes nothing.
func TestCLI_StudioLook(t *testing.T) {
	c := newCLI(t)
	var set map[string]string
	c.ok(&set, "config", "set", "logo", "../../testdata/photos/hopper.png")
	if v := set["value"]; !strings.HasSuffix(v, " 128x128") || len(v) != 64+len(" 128x128") {
		t.Fatalf("logo setting %q", v)
	}
	logo := set["value"]
	c.ok(&set, "config", "set", "accent-colour", "#2F5D50")
	if set["value"] != "#2f5d50" {
		t.Errorf("accent %q", set["value"])
	}
	c.ok(nil, "config", "set", "contact-email", "lena@example.com")
	c.ok(nil, "config", "set", "contact-phone", "+44 20 7946 0958")
	c.ok(&set, "config", "set", "contact-website", "lena.example.com")
	if set["value"] != "https://lena.example.com" {
		t.Errorf("website %q", set["value"])
	}

	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Lake", "--access", "public")
	slug := g["slug"].(string)
	if r := c.run("", "import", slug, "../../testdata/photos/DSCN0010.jpg"); r.code != 0 {
		t.Fatalf("import: %s", r.stderr)
	}
	var photos []map[string]any
	c.ok(&photos, "photo", "list", slug)
	id := photos[0]["id"].(float64)
	c.ok(&g, "gallery", "set", slug, "--cover", strconv.FormatFloat(id, 'f', 0, 64), "--cover-on-pin")
	if g["cover"].(float64) != id || g["cover_on_pin"] != true {
		t.Fatalf("after --cover: %v", g)
	}
	r := c.run("", "gallery", "show", slug)
	if !strings.Contains(r.stdout, "Cover") || !strings.Contains(r.stdout, "on the PIN page") {
		t.Errorf("gallery show: %s", r.stdout)
	}

	bad := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"config", "set", "logo", "../../testdata/photos/truncated_image.png"}, 1, "logo ../../testdata/photos/truncated_image.png"},
		{[]string{"config", "set", "logo", "nowhere.png"}, 1, "nowhere.png"},
		{[]string{"config", "set", "accent-colour", "#ffee00"}, 1, "too light"},
		{[]string{"config", "set", "accent-colour", "teal"}, 1, "#2f5d50"},
		{[]string{"config", "set", "contact-email", "lena at example"}, 1, "plain address"},
		{[]string{"config", "set", "contact-website", "ftp://x.example"}, 1, "web address"},
		{[]string{"gallery", "set", slug, "--cover", "99999"}, 1, "not in this gallery"},
		{[]string{"gallery", "set", slug, "--cover", "first"}, 2, "photo's id"},
	}
	for _, tt := range bad {
		r := c.run("", tt.args...)
		if r.code != tt.code || !strings.Contains(r.stderr, tt.stderr) {
			t.Errorf("pinhole %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.stderr)
		}
	}
	var all map[string]string
	c.ok(&all, "config", "get")
	if all["logo"] != logo || all["accent-colour"] != "#2f5d50" || all["contact-email"] != "lena@example.com" {
		t.Errorf("a refused value changed the settings: %v", all)
	}
	c.ok(&g, "gallery", "show", slug)
	if g["cover"].(float64) != id {
		t.Errorf("a refused cover changed the gallery: %v", g)
	}
	c.ok(&g, "gallery", "set", slug, "--cover", "none", "--cover-on-pin=false")
	if g["cover"].(float64) != 0 || g["cover_on_pin"] != false {
		t.Errorf("after --cover none: %v", g)
	}
}
