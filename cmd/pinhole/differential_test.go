package main

import (
	"database/sql"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pinhole/media"
)

// seededRand is a generated test's randomness: a new seed each run, logged,
// and PINHOLE_SEED=N replays run N. mix keeps two tests' streams apart.
func seededRand(t *testing.T, mix uint64) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("PINHOLE_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("PINHOLE_SEED=%d", seed)
	return rand.New(rand.NewPCG(seed, seed^mix))
}

// TestDifferential_Access holds what Pinhole tells the photographer about
// access against what the website really serves. For generated trees of
// galleries (every access mode, PIN, draft, expiry, navigate-up, inherit)
// and generated client logins, it reads only the statements — `gallery
// list --json` (effective state, access, PIN source) and `client show
// --json` (what a login opens) — derives from them what each visitor may
// open, and asks the real website behind a real listener, as a browser
// would: anonymous, with a PIN typed on each gallery, with each login.
// Every gallery of the tree is asked for, so "nothing else opens" is
// checked as well. PINHOLE_SEED=N replays a run.
func TestDifferential_Access(t *testing.T) {
	rng := seededRand(t, 0x9e3779b97f4a7c15)
	trees := 24
	if testing.Short() {
		trees = 4
	}

	c := newCLI(t)
	photo, err := filepath.Abs("../../testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg")
	if err != nil {
		t.Fatal(err)
	}
	type tree struct {
		slugs   []string
		clients []int64
	}
	var all []tree
	var expire []string
	for i := range trees {
		var tr tree
		for p := range 1 + rng.IntN(3) {
			args := []string{"gallery", "create", "--title", fmt.Sprintf("T%d-%d", i, p),
				"--access", pick(rng, "public", "pin", "download-pin"), "--downloads", pick(rng, "off", "web", "original")}
			if rng.IntN(5) == 0 {
				args = append(args, "--draft")
			}
			var g galleryJSON
			c.ok(&g, args...)
			tr.slugs = append(tr.slugs, g.Slug)
			if rng.IntN(6) == 0 {
				expire = append(expire, g.Slug)
			}
			for k := range rng.IntN(3) {
				args := []string{"gallery", "create", "--title", fmt.Sprintf("T%d-%d-%d", i, p, k), "--parent", g.Slug,
					"--downloads", pick(rng, "off", "web", "original")}
				if rng.IntN(2) == 0 {
					args = append(args, "--access", pick(rng, "public", "pin", "download-pin"))
				}
				if rng.IntN(2) == 0 {
					args = append(args, "--navigate-up")
				}
				if rng.IntN(6) == 0 {
					args = append(args, "--draft")
				}
				var kid galleryJSON
				c.ok(&kid, args...)
				tr.slugs = append(tr.slugs, kid.Slug)
				if rng.IntN(6) == 0 {
					expire = append(expire, kid.Slug)
				}
			}
		}
		for _, s := range tr.slugs {
			c.ok(nil, "import", s, photo)
			if rng.IntN(3) == 0 { // a chosen cover, on the PIN page or not
				var ps []photoJSON
				c.ok(&ps, "photo", "list", s)
				c.ok(nil, "gallery", "set", s, "--cover", strconv.FormatInt(ps[0].ID, 10), "--cover-on-pin="+strconv.FormatBool(rng.IntN(2) == 0))
			}
		}
		for k := range 1 + rng.IntN(2) {
			var cl clientJSON
			c.ok(&cl, "client", "create", "--name", fmt.Sprintf("Client %d-%d", i, k))
			var grant []string
			for _, s := range tr.slugs {
				if rng.IntN(3) == 0 {
					grant = append(grant, s)
				}
			}
			if len(grant) > 0 {
				c.ok(nil, append([]string{"client", "grant", strconv.FormatInt(cl.ID, 10)}, grant...)...)
			}
			tr.clients = append(tr.clients, cl.ID)
		}
		all = append(all, tr)
	}
	// Time passes for some: their last day was yesterday.
	raw, err := sql.Open("sqlite", filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range expire {
		if _, err := raw.Exec("UPDATE galleries SET expires_at = ? WHERE slug = ?", time.Now().Add(-time.Hour).Unix(), s); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	// The statements.
	var list []galleryJSON
	c.ok(&list, "gallery", "list")
	said := map[string]galleryJSON{}
	for _, g := range list {
		said[g.Slug] = g
	}
	photos := map[string]photoJSON{}
	for _, g := range list {
		var ps []photoJSON
		c.ok(&ps, "photo", "list", g.Slug)
		if len(ps) != 1 {
			t.Fatalf("%s holds %d photos", g.Slug, len(ps))
		}
		photos[g.Slug] = ps[0]
	}

	// The website.
	srv := c.website()
	d := &differ{t: t, base: srv.URL, said: said, photos: photos}

	var wg sync.WaitGroup
	for _, tr := range all {
		// Anonymous, with the link only.
		d.check("anonymous", d.browser(), tr.slugs, nil)
		// A PIN typed on each gallery that asks for one.
		for _, s := range tr.slugs {
			g := said[s]
			pin := d.pinOf(g)
			if g.Effective.State != "open" || pin == "" {
				continue
			}
			b := d.browser()
			resp := d.post(b, "/g/"+s+"/pin", url.Values{"pin": {pin}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Errorf("the PIN %s that gallery show gives for %s: %d", pin, s, resp.StatusCode)
				continue
			}
			d.check("PIN typed on "+s, b, tr.slugs, d.opensWithPIN(s, tr.slugs))
		}
		// Each client login, by its code, as client show describes it.
		for _, id := range tr.clients {
			var cl clientJSON
			c.ok(&cl, "client", "show", strconv.FormatInt(id, 10))
			full := map[string]bool{}
			for _, o := range cl.Opens {
				g := said[o.Slug]
				switch {
				case o.Unreachable == "" && g.Effective.State != "open":
					t.Errorf("client %d: %s said to open, but gallery show says %s", id, o.Slug, g.Effective.State)
				case o.Unreachable != "" && g.Effective.State == "open":
					t.Errorf("client %d: %s said not to open (%s), but gallery show says open", id, o.Slug, o.Unreachable)
				case o.SkipsPIN && d.pinOf(g) == "":
					t.Errorf("client %d: %s said to open without its PIN, but it has none", id, o.Slug)
				}
				if o.Unreachable == "" {
					full[o.Slug] = true
				}
			}
			wg.Add(1)
			go func() { // logins take a constant time: run them side by side
				defer wg.Done()
				b := d.browser()
				if resp := d.post(b, "/login", url.Values{"code": {cl.Code}}); resp.StatusCode != http.StatusSeeOther {
					t.Errorf("login %d: %d", id, resp.StatusCode)
					return
				}
				d.check(fmt.Sprintf("client %d", id), b, tr.slugs, full)
			}()
		}
	}
	wg.Wait()
	t.Logf("%d galleries, %d checks", len(list), d.checks)
}

func pick(rng *rand.Rand, s ...string) string { return s[rng.IntN(len(s))] }

// differ asks the website what the statements say it serves.
type differ struct {
	t      *testing.T
	base   string
	said   map[string]galleryJSON
	photos map[string]photoJSON
	mu     sync.Mutex
	checks int
}

func (d *differ) browser() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func (d *differ) post(b *http.Client, path string, form url.Values) *http.Response {
	req, _ := http.NewRequest("POST", d.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", d.base)
	resp, err := b.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// pinOf is the PIN a client types for g, as gallery list says: its own, or
// that of the gallery pin_from names.
func (d *differ) pinOf(g galleryJSON) string {
	if g.Effective.Access == "public" {
		return ""
	}
	if g.Effective.PINFrom != "" {
		return d.said[g.Effective.PINFrom].PIN
	}
	return g.PIN
}

// opensWithPIN is what a PIN typed on gallery s opens, read from the
// statements: s; the sub-galleries whose PIN comes from s; and the parent
// of s when s takes its parent's PIN and lets visitors go up.
func (d *differ) opensWithPIN(s string, slugs []string) map[string]bool {
	g := d.said[s]
	out := map[string]bool{s: true}
	for _, o := range slugs {
		if k := d.said[o]; k.Parent == s && k.Effective.PINFrom == s {
			out[o] = true
		}
	}
	if g.Parent != "" && g.Effective.PINFrom == g.Parent && g.NavigateUp {
		out[g.Parent] = true
	}
	return out
}

// check asks for every gallery of slugs, its page, a thumbnail, a download
// and the ZIP, and compares with what the statements say: full is what the
// visitor opens past the PIN; everything else as for the link alone.
func (d *differ) check(who string, b *http.Client, slugs []string, full map[string]bool) {
	for _, s := range slugs {
		g, p := d.said[s], d.photos[s]
		open := g.Effective.State == "open"
		look := open && (full[s] || g.Effective.Access != "pin")
		down := look && g.Downloads != "off" && (full[s] || g.Effective.Access == "public")
		page := d.get(b, "/g/"+s)
		switch {
		case !open && page.status != 404 && page.status != 410:
			d.t.Errorf("%s: %s is %s, but its page answers %d", who, s, g.Effective.State, page.status)
		case look != page.grid:
			d.t.Errorf("%s: %s (%s, %s): grid shown %v, want %v", who, s, g.Effective.State, g.Effective.Access, page.grid, look)
		}
		for _, rd := range media.Renditions() {
			if got := d.get(b, fmt.Sprintf("/g/%s/%s/%d", s, rd.Code, p.ID)).status == 200; got != look {
				d.t.Errorf("%s: %s (%s, %s): %s served %v, want %v", who, s, g.Effective.State, g.Effective.Access, rd.Name, got, look)
			}
		}
		if got := d.get(b, fmt.Sprintf("/g/%s/p/%d", s, p.ID)); (got.status == 200 && !got.pinForm) != look {
			d.t.Errorf("%s: %s (%s, %s): photo page %d, want it shown %v", who, s, g.Effective.State, g.Effective.Access, got.status, look)
		}
		dl := d.get(b, fmt.Sprintf("/g/%s/d/%d", s, p.ID))
		if got := dl.status == 200; got != down {
			d.t.Errorf("%s: %s (%s, %s, downloads %s): download %v, want %v", who, s, g.Effective.State, g.Effective.Access, g.Downloads, got, down)
		} else if down && (g.Downloads == "original") != (dl.length == p.Bytes) {
			d.t.Errorf("%s: %s downloads %s: %d bytes for a %d-byte original", who, s, g.Downloads, dl.length, p.Bytes)
		}
		// The chosen cover: to whoever sees the photos, and to anyone with
		// the link when gallery show says it is on the PIN page.
		cover := open && g.Cover != 0 && (look || g.CoverOnPIN)
		if got := d.get(b, "/g/"+s+"/cover").status == 200; got != cover {
			d.t.Errorf("%s: %s (%s, %s, cover on PIN %v): cover served %v, want %v", who, s, g.Effective.State, g.Effective.Access, g.CoverOnPIN, got, cover)
		}
		if got := d.get(b, "/g/"+s+"/zip").status == 200; got != down {
			d.t.Errorf("%s: %s (%s, %s, downloads %s): ZIP %v, want %v", who, s, g.Effective.State, g.Effective.Access, g.Downloads, got, down)
		}
		d.mu.Lock()
		d.checks += 6 + len(media.Renditions())
		d.mu.Unlock()
	}
}

type answer struct {
	status  int
	grid    bool
	pinForm bool
	length  int64
}

func (d *differ) get(b *http.Client, path string) answer {
	resp, err := b.Get(d.base + path)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.StatusCode == 200 && strings.Contains(string(body), `id="grid"`),
		strings.Contains(string(body), `name="pin"`), int64(len(body))}
}
