package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// TestDifferential_Changes holds the statements against the website while
// the photographer changes things and visitors keep their sessions: new
// PINs, sets moved between galleries, access switched, navigate-up
// toggled, drafts, expiry passing and lifted, grants and revokes, sets
// deleted and new ones made. Visitors type PINs as they go and keep their
// cookies through every change. After each change, what each visitor may
// open is derived from the statements alone (gallery list --json: state,
// access, where the PIN comes from, pin_version, parent, navigate-up;
// client show --json) and what they typed earlier, and every gallery is
// asked for as in TestDifferential_Access. PINHOLE_SEED=N replays a run.
func TestDifferential_Changes(t *testing.T) {
	rng := seededRand(t, 0x2545f4914f6cdd1d)
	steps := 30
	if testing.Short() {
		steps = 10
	}

	c := newCLI(t)
	photo, err := filepath.Abs("../../testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg")
	if err != nil {
		t.Fatal(err)
	}
	create := func(args ...string) string {
		var g galleryJSON
		c.ok(&g, append([]string{"gallery", "create"}, args...)...)
		c.ok(nil, "import", g.Slug, photo)
		return g.Slug
	}
	var tops []string
	for i := range 2 {
		tops = append(tops, create("--title", fmt.Sprintf("Top %d", i), "--access", pick(rng, "pin", "pin", "download-pin", "public")))
	}
	newSet := func(n int) string {
		args := []string{"--title", fmt.Sprintf("Set %d", n), "--parent", tops[rng.IntN(len(tops))]}
		if rng.IntN(3) == 0 {
			args = append(args, "--access", pick(rng, "pin", "public", "download-pin"))
		}
		if rng.IntN(2) == 0 {
			args = append(args, "--navigate-up")
		}
		return create(args...)
	}
	var sets []string
	for i := range 4 {
		sets = append(sets, newSet(i))
	}
	var cl clientJSON
	c.ok(&cl, "client", "create", "--name", "Ann")
	c.ok(nil, "client", "grant", cl.Code, sets[0])

	srv := c.website()
	// A pass is a PIN a visitor typed: on which gallery, and the version
	// of the PIN that applied there, by the slug of the gallery whose PIN
	// it was (which names the cookie that holds it).
	type pass struct {
		on      string
		version int
	}
	type visitor struct {
		b      *http.Client
		passes map[string]pass
	}
	var visitors []*visitor
	for range 4 {
		visitors = append(visitors, &visitor{b: (&differ{}).browser(), passes: map[string]pass{}})
	}
	login := (&differ{}).browser()
	d0 := &differ{t: t, base: srv.URL}
	if resp := d0.post(login, "/login", url.Values{"code": {cl.Code}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: %d", resp.StatusCode)
	}

	var done []string // what was changed so far, for a failure's message
	for step := range steps {
		all := append(slices.Clone(tops), sets...)
		var list []galleryJSON
		c.ok(&list, "gallery", "list")
		said := map[string]galleryJSON{}
		for _, g := range list {
			said[g.Slug] = g
		}
		photos := map[string]photoJSON{}
		for _, s := range all {
			var ps []photoJSON
			c.ok(&ps, "photo", "list", s)
			photos[s] = ps[0]
		}
		d := &differ{t: t, base: srv.URL, said: said, photos: photos}
		pinSource := func(s string) string {
			if f := said[s].Effective.PINFrom; f != "" {
				return f
			}
			return s
		}
		// covers: a PIN typed on gallery on reaches x: x itself, a set of
		// on that takes its PIN, or the parent whose PIN on takes and lets
		// visitors go up to.
		covers := func(on, x string) bool {
			return on == x || said[x].Parent == on && said[x].Effective.PINFrom == on ||
				said[on].Parent == x && said[on].Effective.PINFrom == x && said[on].NavigateUp
		}
		// What a visitor's passes open past the PIN.
		opens := func(v *visitor, x string) bool {
			pg := pinSource(x)
			p, ok := v.passes[pg]
			_, there := said[p.on]
			return ok && there && said[pg].PINVersion == p.version && covers(p.on, x)
		}
		// Some visitors type the PIN of a gallery that asks for one (a
		// visitor let in already keeps the session that lets them in).
		for i, v := range visitors {
			s := all[rng.IntN(len(all))]
			if rng.IntN(2) == 0 || said[s].Effective.State != "open" || d.pinOf(said[s]) == "" || opens(v, s) {
				continue
			}
			if resp := d.post(v.b, "/g/"+s+"/pin", url.Values{"pin": {d.pinOf(said[s])}}); resp.StatusCode != http.StatusSeeOther {
				t.Errorf("step %d: the PIN gallery list gives for %s: %d", step, s, resp.StatusCode)
				continue
			}
			v.passes[pinSource(s)] = pass{on: s, version: said[pinSource(s)].PINVersion}
			done = append(done, fmt.Sprintf("visitor %d types the PIN on %s", i, s))
		}
		who := fmt.Sprintf("after %v", done[max(0, len(done)-3):])
		for i, v := range visitors {
			full := map[string]bool{}
			for _, x := range all {
				full[x] = opens(v, x)
			}
			d.check(fmt.Sprintf("visitor %d %s (passes %v)", i, who, v.passes), v.b, all, full)
		}
		var show clientJSON
		c.ok(&show, "client", "show", cl.Code)
		full := map[string]bool{}
		for _, o := range show.Opens {
			full[o.Slug] = o.Unreachable == ""
		}
		d.check("the login "+who, login, all, full)
		if t.Failed() {
			t.Logf("every change: %v", done)
			for _, s := range all {
				g := said[s]
				t.Logf("%s: parent %q access %s (%s, PIN from %q) v%d navigate-up %v %s", s, g.Parent, g.Access, g.Effective.Access, g.Effective.PINFrom, g.PINVersion, g.NavigateUp, g.Effective.State)
			}
			return
		}

		// The photographer changes something.
		set := sets[rng.IntN(len(sets))]
		any := all[rng.IntN(len(all))]
		var what []string
		switch rng.IntN(10) {
		case 0:
			what = []string{"gallery", "set", any, "--new-pin"}
		case 1:
			what = []string{"gallery", "set", set, "--parent", tops[rng.IntN(len(tops))]}
		case 2:
			what = []string{"gallery", "set", set, "--access", pick(rng, "inherit", "pin", "public", "download-pin")}
		case 3:
			what = []string{"gallery", "set", set, "--navigate-up=" + strconv.FormatBool(!said[set].NavigateUp)}
		case 4:
			what = []string{"gallery", "set", any, "--draft=" + strconv.FormatBool(said[any].Published)}
		case 5:
			what = []string{"gallery", "set", tops[rng.IntN(len(tops))], "--access", pick(rng, "pin", "public", "download-pin")}
		case 6:
			what = []string{"client", pick(rng, "grant", "revoke"), cl.Code, any}
		case 7:
			c.ok(nil, "gallery", "delete", set, "--yes")
			sets = slices.DeleteFunc(sets, func(s string) bool { return s == set })
			sets = append(sets, newSet(step+10))
			done = append(done, "delete "+set+", new "+sets[len(sets)-1])
			continue
		case 8: // time passes: its last day was yesterday
			raw, err := sql.Open("sqlite", filepath.Join(c.data, "pinhole.db"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec("UPDATE galleries SET expires_at = ? WHERE slug = ?", time.Now().Add(-time.Hour).Unix(), any); err != nil {
				t.Fatal(err)
			}
			raw.Close()
			done = append(done, "expire "+any)
			continue
		case 9:
			what = []string{"gallery", "set", any, "--expires", "never"}
		}
		if r := c.run("", append(what, "--json")...); r.code == 0 {
			done = append(done, fmt.Sprint(what[1:]))
		}
	}
}
