package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/media"
	"pinhole/server/web"
)

// cliRunner runs the command line in-process on one data folder, as a user would.
type cliRunner struct {
	t    *testing.T
	data string
}

func newCLI(t *testing.T) *cliRunner {
	t.Helper()
	return &cliRunner{t: t, data: filepath.Join(t.TempDir(), "data")}
}

type result struct {
	code           int
	stdout, stderr string
}

func (c *cliRunner) run(stdin string, args ...string) result {
	c.t.Helper()
	var out, errb bytes.Buffer
	env := &Env{
		Stdin:  strings.NewReader(stdin),
		Stdout: &out,
		Stderr: &errb,
		Getenv: func(k string) string {
			if k == "PINHOLE_DATA" {
				return c.data
			}
			return ""
		},
	}
	code := Run(context.Background(), env, args)
	env.Close()
	return result{code, out.String(), errb.String()}
}

// ok runs a command that must succeed and decodes its --json output into v.
func (c *cliRunner) ok(v any, args ...string) {
	c.t.Helper()
	r := c.run("", append(args, "--json")...)
	if r.code != 0 {
		c.t.Fatalf("pinhole %s: exit %d, stderr %q", strings.Join(args, " "), r.code, r.stderr)
	}
	if v != nil {
		if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
			c.t.Fatalf("pinhole %s: %v in %q", strings.Join(args, " "), err, r.stdout)
		}
	}
}

func TestCLI_GalleryLifecycle(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Smith wedding", "--expires", time.Now().AddDate(0, 1, 0).Format(time.DateOnly))
	for _, k := range []string{"id", "slug", "title", "access", "pin", "downloads", "expires", "published", "url", "photos"} {
		if _, ok := g[k]; !ok {
			t.Errorf("gallery JSON lacks %q: %v", k, g)
		}
	}
	slug := g["slug"].(string)
	if !strings.HasPrefix(slug, "smith-wedding-") || len(slug) < len("smith-wedding-")+6 {
		t.Errorf("slug = %q, want smith-wedding- plus 6 random characters", slug)
	}
	if g["access"] != "pin" || g["downloads"] != "original" || g["published"] != true {
		t.Errorf("defaults: %v", g)
	}
	pin := g["pin"].(string)
	if len(pin) != 6 {
		t.Errorf("generated PIN %q, want 6 digits", pin)
	}
	if g["url"] != "http://localhost:8080/g/"+slug {
		t.Errorf("url = %v", g["url"])
	}
	// The slug every other command asks for is printed by name, not only
	// as the end of the link.
	if r := c.run("", "gallery", "show", slug); !strings.Contains(r.stdout, "\nSlug       "+slug+"\n") {
		t.Errorf("gallery show does not name the slug:\n%s", r.stdout)
	}

	c.ok(nil, "config", "set", "base-url", "https://photos.example.com/")
	var shown map[string]any
	c.ok(&shown, "gallery", "show", slug)
	if shown["url"] != "https://photos.example.com/g/"+slug {
		t.Errorf("url after base-url = %v", shown["url"])
	}

	var set map[string]any
	c.ok(&set, "gallery", "set", slug, "--new-pin", "--downloads", "web")
	if set["pin"] == pin || set["pin_version"].(float64) != 2 || set["downloads"] != "web" {
		t.Errorf("after set --new-pin: %v", set)
	}
	c.ok(&set, "gallery", "set", slug, "--pin", "4321", "--access", "download-pin")
	if set["pin"] != "4321" || set["pin_version"].(float64) != 3 || set["access"] != "download-pin" {
		t.Errorf("after set --pin: %v", set)
	}

	var pub map[string]any
	c.ok(&pub, "gallery", "create", "--title", "Portfolio", "--access", "public", "--draft")
	if pub["pin"] != "" || pub["published"] != false {
		t.Errorf("public draft: %v", pub)
	}
	var child map[string]any
	c.ok(&child, "gallery", "create", "--title", "Ceremony", "--parent", slug)
	if child["parent"] != slug || child["access"] != "inherit" {
		t.Errorf("sub-gallery: %v", child)
	}

	var list []map[string]any
	c.ok(&list, "gallery", "list")
	if len(list) != 3 {
		t.Fatalf("list has %d galleries, want 3", len(list))
	}
	// Newest first, a sub-gallery right under its parent.
	if list[0]["slug"] != pub["slug"] || list[1]["slug"] != slug || list[2]["slug"] != child["slug"] {
		t.Errorf("order: %v, %v, %v", list[0]["title"], list[1]["title"], list[2]["title"])
	}

	if r := c.run("n\n", "gallery", "delete", slug); r.code != 1 {
		t.Errorf("delete answered no: exit %d", r.code)
	}
	c.ok(&list, "gallery", "list")
	if len(list) != 3 {
		t.Fatalf("a refused delete deleted something")
	}
	if r := c.run("y\n", "gallery", "delete", slug); r.code != 0 {
		t.Fatalf("delete answered yes: exit %d %s", r.code, r.stderr)
	}
	c.ok(&list, "gallery", "list")
	if len(list) != 1 {
		t.Errorf("after deleting the parent, %d galleries left, want 1 (its sub-gallery goes too)", len(list))
	}
}

func TestCLI_Errors(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Keep me", "--pin", "1234")
	slug := g["slug"].(string)
	var cl map[string]any
	c.ok(&cl, "client", "create", "--name", "Anna", "--code", "k7qp 2mxd 9rtw")

	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"unknown slug", []string{"gallery", "show", "nope-abcdef"}, 1, `gallery "nope-abcdef" not found: check the slug with pinhole gallery list`},
		{"unknown slug on set", []string{"gallery", "set", "nope", "--pin", "1234"}, 1, "not found"},
		{"invalid PIN", []string{"gallery", "set", slug, "--pin", "12"}, 1, "PIN must be 4 to 12 digits"},
		{"letters in PIN", []string{"gallery", "create", "--title", "X", "--pin", "12ab"}, 1, "digits only"},
		{"expiry in the past", []string{"gallery", "set", slug, "--expires", "2020-01-01"}, 1, "in the past"},
		{"bad expiry", []string{"gallery", "set", slug, "--expires", "soon"}, 1, "YYYY-MM-DD"},
		{"bad access", []string{"gallery", "set", slug, "--access", "secret"}, 1, "public, pin or download-pin"},
		{"unknown parent", []string{"gallery", "create", "--title", "X", "--parent", "nope"}, 1, `parent gallery "nope" not found: check the slug with pinhole gallery list`},
		{"duplicate code", []string{"client", "create", "--name", "Bob", "--code", "K7QP-2MXD-9RTW"}, 1, "taken"},
		{"short code", []string{"client", "create", "--name", "Bob", "--code", "ABC"}, 1, "at least 8"},
		{"unknown client", []string{"client", "show", "NOPE-NOPE"}, 1, "no client"},
		{"grant unknown gallery", []string{"client", "grant", "1", slug, "nope"}, 1, `gallery "nope" not found: check the slug with pinhole gallery list`},
		{"delete without answer", []string{"client", "delete", "1"}, 1, "nothing deleted"},
		{"unknown setting", []string{"config", "set", "colour", "red"}, 1, "unknown setting"},
		{"bad base url", []string{"config", "set", "base-url", "photos"}, 1, "full address"},
		{"missing title", []string{"gallery", "create"}, 2, "--title is required"},
		{"unknown command", []string{"gallery", "frobnicate"}, 2, "unknown command"},
		{"unknown flag", []string{"gallery", "list", "--colour"}, 2, "flag provided but not defined"},
		{"missing slug", []string{"gallery", "show"}, 2, "missing SLUG"},
		{"extra argument", []string{"gallery", "list", "extra"}, 2, "unexpected argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.run("", tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", r.code, tt.code, r.stderr)
			}
			if !strings.Contains(r.stderr, tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", r.stderr, tt.stderr)
			}
			lines := strings.Split(strings.TrimSpace(r.stderr), "\n")
			if last := lines[len(lines)-1]; tt.code == 1 && !strings.HasPrefix(last, "pinhole "+tt.args[0]) {
				t.Errorf("stderr %q should start with what failed", r.stderr)
			}
		})
	}

	// Nothing changed by any of the failures.
	var after map[string]any
	c.ok(&after, "gallery", "show", slug)
	if after["pin"] != "1234" || after["pin_version"].(float64) != 1 || after["expires"] != "" || after["access"] != "pin" {
		t.Errorf("a failed command changed the gallery: %v", after)
	}
	var list []map[string]any
	c.ok(&list, "gallery", "list")
	if len(list) != 1 {
		t.Errorf("%d galleries after failed creates, want 1", len(list))
	}
	var clients []map[string]any
	c.ok(&clients, "client", "list")
	if len(clients) != 1 || len(clients[0]["galleries"].([]any)) != 0 {
		t.Errorf("clients after failures: %v", clients)
	}
}

func TestCLI_Clients(t *testing.T) {
	c := newCLI(t)
	var a, b map[string]any
	c.ok(&a, "gallery", "create", "--title", "Smith wedding")
	c.ok(&b, "gallery", "create", "--title", "Smith engagement", "--access", "public")
	var cl map[string]any
	c.ok(&cl, "client", "create", "--name", "Anna Smith", "--note", "bride")
	for _, k := range []string{"id", "name", "code", "galleries"} {
		if _, ok := cl[k]; !ok {
			t.Errorf("client JSON lacks %q", k)
		}
	}
	code := cl["code"].(string)
	if len(code) != 14 || code[4] != '-' || code[9] != '-' || strings.ContainsAny(code, "01OIL") {
		t.Errorf("generated code %q, want XXXX-XXXX-XXXX without look-alikes", code)
	}
	// CLIENT is the id or the code, typed any way.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	c.ok(&cl, "client", "grant", typed, a["slug"].(string), b["slug"].(string))
	if got := cl["galleries"].([]any); len(got) != 2 {
		t.Fatalf("granted %v", got)
	}
	opens := cl["opens"].([]any)
	skips := map[string]bool{}
	for _, o := range opens {
		m := o.(map[string]any)
		skips[m["slug"].(string)] = m["opens_without_pin"].(bool)
	}
	if !skips[a["slug"].(string)] || skips[b["slug"].(string)] {
		t.Errorf("opens_without_pin: %v (the PIN gallery yes, the public one no)", skips)
	}
	r := c.run("", "client", "show", "1")
	if !strings.Contains(r.stdout, "Smith wedding ("+a["slug"].(string)+") — opens without its PIN") {
		t.Errorf("client show does not say what the login opens:\n%s", r.stdout)
	}
	c.ok(&cl, "client", "revoke", "1", a["slug"].(string))
	if got := cl["galleries"].([]any); len(got) != 1 || got[0] != b["slug"] {
		t.Errorf("after revoke: %v", got)
	}
	if r := c.run("", "client", "delete", "1", "--yes"); r.code != 0 {
		t.Fatalf("delete: %d %s", r.code, r.stderr)
	}
	var list []any
	c.ok(&list, "client", "list")
	if len(list) != 0 {
		t.Errorf("clients after delete: %v", list)
	}
}

func TestCLI_DataFolder(t *testing.T) {
	dir := t.TempDir()
	getenv := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"PINHOLE_DATA": "/srv/p", "XDG_DATA_HOME": "/x", "HOME": "/h"}, "/srv/p"},
		{map[string]string{"XDG_DATA_HOME": "/x", "HOME": "/h"}, "/x/pinhole"},
		{map[string]string{"HOME": "/h"}, "/h/.local/share/pinhole"},
	}
	for _, tt := range tests {
		if got := DefaultDataDir(getenv(tt.env)); got != tt.want {
			t.Errorf("DefaultDataDir(%v) = %q, want %q", tt.env, got, tt.want)
		}
	}
	// --data wins over the environment, before or after the command.
	c := newCLI(t)
	other := filepath.Join(dir, "elsewhere")
	if r := c.run("", "--data", other, "gallery", "create", "--title", "A"); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if r := c.run("", "gallery", "create", "--title", "B", "--data", other); r.code != 0 {
		t.Fatal(r.stderr)
	}
	if _, err := os.Stat(filepath.Join(other, "pinhole.db")); err != nil {
		t.Errorf("--data folder not used: %v", err)
	}
	var list []any
	c.ok(&list, "gallery", "list")
	if len(list) != 0 {
		t.Errorf("PINHOLE_DATA folder got %d galleries written to --data", len(list))
	}
}

// website serves the client website on the data folder behind a real
// listener, as serve does, until the test ends.
func (c *cliRunner) website() *httptest.Server {
	c.t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		c.t.Fatal(err)
	}
	lib, err := media.Open(filepath.Join(c.data, "photos"))
	if err != nil {
		store.Close()
		c.t.Fatal(err)
	}
	h, err := web.New(web.Config{Store: store, Library: lib, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		store.Close()
		c.t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	c.t.Cleanup(func() { srv.Close(); store.Close() })
	return srv
}
