package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"pinhole/db"
	"pinhole/media"
)

// TestAdversarial_ThrottleParallelBurst: a guesser who sends many wrong
// PINs at once must not get more PINs checked than one who sends them in
// a row. With the clock standing still, only FreeTries tries may be
// checked (403); every other one must wait (429).
func TestAdversarial_ThrottleParallelBurst(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Burst", db.GalleryInput{Access: new(db.PINAccess), PIN: new("4711")})
	const n = 60
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			form := url.Values{"pin": {"0000"}}
			resp, _ := f.do(f.client(), "POST", "/g/"+g.Slug+"/pin", form, nil)
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	if codes[http.StatusForbidden] > FreeTries || codes[http.StatusForbidden]+codes[http.StatusTooManyRequests] != n {
		t.Fatalf("parallel burst of %d wrong PINs: %v; want at most %d checked (403), the rest 429", n, codes, FreeTries)
	}
}

// advFixture: a PIN gallery A and B with a photo each, a public gallery, a
// client granted A only, and helpers to check a response's hygiene.
type advFixture struct {
	*fixture
	a, b, pub   db.Gallery
	pa, pb, pp  db.Photo
	clientToken string
}

func newAdvFixture(t *testing.T) *advFixture {
	f := newClientFixture(t)
	ctx := context.Background()
	af := &advFixture{fixture: f}
	af.a = f.gallery("A", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234"), Downloads: new(db.DownloadsOriginal)})
	af.b = f.gallery("B", db.GalleryInput{Access: new(db.PINAccess), PIN: new("5678"), Downloads: new(db.DownloadsOriginal)})
	af.pub = f.gallery("Pub", db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsOriginal)})
	af.pa = f.addPhoto(af.a, testPhotos[0])
	af.pb = f.addPhoto(af.b, testPhotos[1])
	af.pp = f.addPhoto(af.pub, testPhotos[2])
	af.a, _ = f.store.GalleryByID(ctx, af.a.ID)
	af.b, _ = f.store.GalleryByID(ctx, af.b.ID)
	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Ann")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Grant(ctx, cl.ID, af.a.Slug); err != nil {
		t.Fatal(err)
	}
	af.clientToken = f.session(db.Session{ClientID: cl.ID})
	return af
}

// galleryURLs are every URL of gallery g naming photo id.
func galleryURLs(slug string, id int64) []string {
	b := "/g/" + slug
	urls := []string{b, fmt.Sprintf("%s/p/%d", b, id), fmt.Sprintf("%s/d/%d", b, id), b + "/zip", b + "/favourites.zip", b + "?fav=1"}
	for _, r := range media.Renditions() {
		urls = append(urls, fmt.Sprintf("%s/%s/%d", b, r.Code, id))
	}
	return urls
}

// hygiene: the security headers, no internals and, when denied, no photo.
func (af *advFixture) hygiene(t *testing.T, what string, resp *http.Response, body []byte) {
	t.Helper()
	h := resp.Header
	if !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
		h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("%s: %d without the security headers: %v", what, resp.StatusCode, h)
	}
	if u, _ := url.Parse(what); u != nil && strings.HasPrefix(u.Path, "/g/") && !strings.Contains(h.Get("X-Robots-Tag"), "noindex") {
		t.Errorf("%s: %d without noindex", what, resp.StatusCode)
	}
	for _, leak := range []string{"goroutine", ".go:", "panic", af.dir, "sqlite", "SQL", "runtime error", "/photos/", "pinhole.db"} {
		if bytes.Contains(body, []byte(leak)) {
			t.Errorf("%s: %d body leaks %q", what, resp.StatusCode, leak)
		}
	}
	if resp.StatusCode >= 300 && isPhotoBytes(resp, body) {
		t.Errorf("%s: %d carries photo bytes", what, resp.StatusCode)
	}
	if resp.StatusCode >= 500 {
		t.Errorf("%s: server error %d", what, resp.StatusCode)
	}
}

// TestAdversarial_Cookies: forged, garbled, oversized and swapped cookies
// open nothing and never make the server fail.
func TestAdversarial_Cookies(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	tokA := f.session(db.Session{GalleryID: af.a.ID, PINVersion: af.a.PINVersion})
	tokPubPlain := f.session(db.Session{GalleryID: af.pub.ID})
	garbage := []string{"", "x", strings.Repeat("A", 3900), "%00%ff", "..%2f..", db.NewToken() + "x",
		strings.Repeat("0", 64), "null", "undefined"}
	type jar struct {
		name, value string
	}
	var jars []jar
	for _, g := range garbage {
		jars = append(jars, jar{galleryCookie(af.b.ID), g}, jar{clientCookie, g})
	}
	jars = append(jars,
		jar{galleryCookie(af.b.ID), tokA},           // A's PIN session under B's name
		jar{galleryCookie(af.b.ID), af.clientToken}, // a client session under a gallery name
		jar{galleryCookie(af.a.ID), af.clientToken}, // even the granted one's
		jar{clientCookie, tokA},                     // a PIN session as a client login
		jar{galleryCookie(af.b.ID), tokPubPlain},    // a plain public session
		jar{clientCookie, af.clientToken},           // a client granted A only, at B
		jar{galleryPrefix + "-1", tokA}, jar{galleryPrefix + "0", tokA}, jar{galleryPrefix + "999999999999999999999", tokA},
	)
	for _, j := range jars {
		c := f.withCookie(j.name, j.value)
		for _, u := range galleryURLs(af.b.Slug, af.pb.ID) {
			resp, body := f.get(c, u)
			what := fmt.Sprintf("%s=%.20q %s", j.name, j.value, u)
			af.hygiene(t, u, resp, body)
			if resp.StatusCode == 200 && (isPhotoBytes(resp, body) || bytes.Contains(body, []byte(`id="grid"`))) {
				t.Errorf("%s: opened B (%d)", what, resp.StatusCode)
			}
		}
		resp, body := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", af.b.Slug, af.pb.ID), url.Values{"on": {"1"}, "name": {"Eve"}}, nil)
		af.hygiene(t, "fav", resp, body)
		if resp.StatusCode != 403 {
			t.Errorf("%s=%.20q: favourite in B: %d", j.name, j.value, resp.StatusCode)
		}
		if resp, body := f.get(c, "/me"); resp.StatusCode >= 500 {
			t.Errorf("/me with %s=%.20q: %d %s", j.name, j.value, resp.StatusCode, body)
		}
	}
	// A raw, syntactically broken Cookie header.
	for _, raw := range []string{"pinhole_c", "=;=;=", strings.Repeat("pinhole_g1=a; ", 2000)} {
		resp, body := f.do(f.client(), "GET", "/g/"+af.b.Slug+"/t/"+fmt.Sprint(af.pb.ID), nil, http.Header{"Cookie": {raw}})
		if resp.StatusCode != 403 && resp.StatusCode != 431 {
			t.Errorf("raw cookie %.20q: %d", raw, resp.StatusCode)
		}
		if isPhotoBytes(resp, body) {
			t.Errorf("raw cookie %.20q: photo served", raw)
		}
	}
	if favs, _ := f.store.Favourites(context.Background(), af.b.ID); len(favs) != 0 {
		t.Errorf("favourites written in B: %v", favs)
	}
}

// TestAdversarial_OtherGalleriesPhotoIDs: with full access to A (PIN or
// client grant), every URL of A naming B's photo is not found.
func TestAdversarial_OtherGalleriesPhotoIDs(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	pinned := f.withCookie(galleryCookie(af.a.ID), f.session(db.Session{GalleryID: af.a.ID, PINVersion: af.a.PINVersion}))
	client := f.withCookie(clientCookie, af.clientToken)
	for name, c := range map[string]*http.Client{"pin": pinned, "client": client} {
		for _, id := range []string{fmt.Sprint(af.pb.ID), fmt.Sprint(af.pp.ID), "0", "-1", "1e3", "0x1", "+" + fmt.Sprint(af.pb.ID), " 1",
			"99999999999999999999", fmt.Sprint(af.pb.ID) + ".jpg", fmt.Sprintf("%d%%00", af.pa.ID)} {
			for _, r := range []string{"p", "t", "v", "d"} {
				u := "/g/" + af.a.Slug + "/" + r + "/" + url.PathEscape(id)
				resp, body := f.get(c, u)
				af.hygiene(t, u, resp, body)
				if resp.StatusCode != 404 {
					t.Errorf("%s %s: %d, want 404", name, u, resp.StatusCode)
				}
			}
			u := "/g/" + af.a.Slug + "/fav/" + url.PathEscape(id)
			resp, body := f.do(c, "POST", u, url.Values{"on": {"1"}, "name": {"Eve"}}, nil)
			af.hygiene(t, u, resp, body)
			if resp.StatusCode != 404 {
				t.Errorf("%s POST %s: %d, want 404", name, u, resp.StatusCode)
			}
		}
		// Sanity: A's own photo opens.
		if resp, _ := f.get(c, fmt.Sprintf("/g/%s/d/%d", af.a.Slug, af.pa.ID)); resp.StatusCode != 200 {
			t.Fatalf("%s: own photo %d", name, resp.StatusCode)
		}
		// The favourites ZIP of A holds only A's photos.
		resp, body := f.get(c, "/g/"+af.a.Slug+"/favourites.zip")
		if resp.StatusCode != 200 || bytes.Contains(body, []byte(af.pb.Filename)) && af.pb.Filename != af.pa.Filename {
			t.Errorf("%s: favourites.zip %d", name, resp.StatusCode)
		}
	}
	ctx := context.Background()
	if favs, _ := f.store.Favourites(ctx, af.b.ID); len(favs) != 0 {
		t.Errorf("favourites written in B through A: %v", favs)
	}
}

// TestAdversarial_Paths: dot segments, encoded slashes, long and unicode
// slugs never reach another gallery nor fail.
func TestAdversarial_Paths(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	c := f.withCookie(galleryCookie(af.a.ID), f.session(db.Session{GalleryID: af.a.ID, PINVersion: af.a.PINVersion}))
	a, b := af.a.Slug, af.b.Slug
	pb := fmt.Sprint(af.pb.ID)
	paths := []string{
		"/g/" + a + "/../" + b, "/g/" + a + "/../" + b + "/t/" + pb, "/g/" + a + "/%2e%2e/" + b + "/t/" + pb,
		"/g/" + a + "%2F..%2F" + b + "/t/" + pb, "/g/" + a + "%2f" + b, "/g/..%2f" + b + "/t/" + pb,
		"/g/" + b + "/t/" + pb + "/..", "/g/" + b + "/t/" + pb + "%00", "/g/./" + b, "/g//" + b,
		"/g/" + a + "/t/" + pb + "/../../" + b + "/t/" + pb, "/g/" + strings.ToUpper(b), "/g/" + b + "%20",
		"/g/" + strings.Repeat("a", 10000), "/g/" + strings.Repeat("ä", 2000) + "/t/1", "/g/📷-k4q9x2",
		"/g/%ff%fe", "/g/%00", "/g/" + a + "/d/..%2f..%2f..%2fetc%2fpasswd", "/static/..%2f..%2fgo.mod",
		"/static/../templates/layout.html", "/g/" + a + "/zip/../../" + b + "/zip", "/preview/..%2fg%2f" + b,
		"/g/" + b + ";/t/" + pb, "/g/" + b + "/t/" + pb + ";", "/g/" + a + "/t/" + pb + "?slug=" + b,
	}
	for _, p := range paths {
		resp, body := f.get(c, p)
		af.hygiene(t, p, resp, body)
		if resp.StatusCode == 200 && (isPhotoBytes(resp, body) || bytes.Contains(body, []byte(`id="grid"`)) && !strings.HasPrefix(p, "/g/"+a+"?")) {
			t.Errorf("%s: %d opened something", p, resp.StatusCode)
		}
		if loc := resp.Header.Get("Location"); loc != "" && (strings.HasPrefix(loc, "//") || strings.Contains(loc, "://")) {
			t.Errorf("%s: redirects off-site to %q", p, loc)
		}
	}
}

// TestAdversarial_Methods: every route answers only its methods; the
// others get 405 with the security headers and no photo.
func TestAdversarial_Methods(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	c := f.withCookie(galleryCookie(af.pub.ID), f.session(db.Session{GalleryID: af.pub.ID}))
	gp := "/g/" + af.pub.Slug
	id := fmt.Sprint(af.pp.ID)
	getRoutes := []string{"/", "/healthz", "/me", "/preview/x", gp, gp + "/p/" + id, gp + "/d/" + id, gp + "/zip", gp + "/favourites.zip"}
	for _, r := range media.Renditions() {
		getRoutes = append(getRoutes, gp+"/"+r.Code+"/"+id)
	}
	postRoutes := []string{"/login", "/logout", gp + "/pin", gp + "/fav/" + id}
	for _, m := range []string{"PUT", "DELETE", "PATCH", "TRACE", "CONNECT", "PROPFIND", "FOO"} {
		for _, p := range append(getRoutes, postRoutes...) {
			resp, body := f.do(c, m, p, url.Values{"pin": {"1"}}, nil)
			af.hygiene(t, p, resp, body)
			if resp.StatusCode != 405 && !(m == "CONNECT" && resp.StatusCode == 400) {
				t.Errorf("%s %s: %d, want 405", m, p, resp.StatusCode)
			}
		}
	}
	for _, p := range postRoutes {
		for _, m := range []string{"GET", "HEAD"} {
			resp, body := f.do(c, m, p, nil, nil)
			af.hygiene(t, p, resp, body)
			if resp.StatusCode != 405 {
				t.Errorf("%s %s: %d, want 405", m, p, resp.StatusCode)
			}
		}
	}
	// HEAD of a download or a ZIP records nothing and sends no body.
	for _, p := range []string{gp + "/d/" + id, gp + "/zip"} {
		resp, body := f.do(c, "HEAD", p, nil, nil)
		if resp.StatusCode != 200 || len(body) != 0 {
			t.Errorf("HEAD %s: %d, %d bytes", p, resp.StatusCode, len(body))
		}
	}
	evs, _ := f.store.Events(context.Background(), db.EventFilter{GalleryID: af.pub.ID})
	for _, e := range evs {
		if e.Kind == db.EventDownload || e.Kind == db.EventZIP {
			t.Errorf("HEAD recorded %s", e.Kind)
		}
	}
}

// TestAdversarial_CrossSite: a form posted from another site is refused,
// whatever the Origin claims, and changes nothing.
func TestAdversarial_CrossSite(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	ctx := context.Background()
	c := f.withCookie(clientCookie, af.clientToken)
	posts := []struct {
		path string
		form url.Values
	}{
		{"/g/" + af.a.Slug + "/pin", url.Values{"pin": {"1234"}}},
		{fmt.Sprintf("/g/%s/fav/%d", af.a.Slug, af.pa.ID), url.Values{"on": {"1"}}},
		{"/logout", url.Values{}},
		{"/login", url.Values{"code": {"X"}}},
	}
	bad := []http.Header{
		{"Origin": {"https://evil.example"}},
		{"Origin": {"null"}},
		{"Origin": {f.srv.URL + ".evil.example"}},
		{"Origin": {"http://evil.example"}, "Sec-Fetch-Site": {"cross-site"}},
		{"Sec-Fetch-Site": {"cross-site"}},
		{"Sec-Fetch-Site": {"same-site"}},
		{"Origin": {"https://evil.example"}, "Referer": {f.srv.URL + "/"}},
	}
	for _, p := range posts {
		for _, h := range bad {
			resp, body := f.do(c, "POST", p.path, p.form, h)
			af.hygiene(t, p.path, resp, body)
			if resp.StatusCode != 403 {
				t.Errorf("POST %s with %v: %d, want 403", p.path, h, resp.StatusCode)
			}
		}
	}
	if favs, _ := f.store.Favourites(ctx, af.a.ID); len(favs) != 0 {
		t.Errorf("cross-site favourite written: %v", favs)
	}
	if _, err := f.store.SessionByToken(ctx, af.clientToken); err != nil {
		t.Errorf("cross-site logout ended the session: %v", err)
	}
	// Same origin still works.
	resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", af.a.Slug, af.pa.ID), url.Values{"on": {"1"}}, http.Header{"Origin": {f.srv.URL}, "Sec-Fetch-Site": {"same-origin"}})
	if resp.StatusCode != 303 {
		t.Errorf("same-origin favourite: %d", resp.StatusCode)
	}
}

// TestAdversarial_PINInput: odd PIN input is never an error. What cannot
// be a PIN at all (issue 16: after NFKC, dashes and spaces dropped) is
// refused without counting as a wrong try; a wrong PIN of the right shape
// counts against the throttle.
func TestAdversarial_PINInput(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	ctx := context.Background()
	p := "/g/" + af.a.Slug + "/pin"
	misshapen := []url.Values{
		{}, {"pin": {""}}, {"pin": {"abcd"}}, {"pin": {"12"}}, {"pin": {"１２３"}}, {"pin": {strings.Repeat("1", 100000)}},
		{"pin": {"12a4"}}, {"pin": {"1234\u202e"}},
	}
	for i, in := range misshapen {
		c := f.client()
		resp, body := f.do(c, "POST", p, in, nil)
		af.hygiene(t, p, resp, body)
		if resp.StatusCode != 400 && resp.StatusCode != 413 {
			t.Errorf("misshapen input %d: %d, want 400 or 413", i, resp.StatusCode)
		}
		if resp, _ := f.get(c, fmt.Sprintf("/g/%s/t/%d", af.a.Slug, af.pa.ID)); resp.StatusCode != 403 {
			t.Errorf("misshapen input %d opened the gallery: %d", i, resp.StatusCode)
		}
	}
	if rec, _ := f.store.Throttle(ctx, pinKey(af.a.ID, "127.0.0.1")); rec.Failures != 0 {
		t.Errorf("misshapen inputs were counted as wrong tries: %+v", rec)
	}
	if evs, _ := f.store.Events(ctx, db.EventFilter{GalleryID: af.a.ID, Kind: db.EventPINFail}); len(evs) != 0 {
		t.Errorf("misshapen inputs were recorded as wrong PINs: %d events", len(evs))
	}
	// A body far over any form's size is refused without an error page of ours failing.
	big := url.Values{"pin": {strings.Repeat("9", 12<<20)}}
	resp, body := f.do(f.client(), "POST", p, big, nil)
	af.hygiene(t, p, resp, body)
	// Wrong PINs of the right shape are wrong tries.
	for i := 0; i < FreeTries; i++ {
		c := f.client()
		resp, body := f.do(c, "POST", p, url.Values{"pin": {"5678"}}, nil)
		af.hygiene(t, p, resp, body)
		if resp.StatusCode != 403 {
			t.Errorf("wrong PIN %d: %d, want 403", i, resp.StatusCode)
		}
	}
	rec, _ := f.store.Throttle(ctx, pinKey(af.a.ID, "127.0.0.1"))
	if rec.Failures < FreeTries {
		t.Errorf("wrong PINs were not counted as failures: %+v", rec)
	}
}

// TestPIN_AsTyped: fullwidth digits and any dash or space, as phones and
// CJK keyboards type them, open the gallery (issue 16).
func TestPIN_AsTyped(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	p := "/g/" + af.a.Slug + "/pin"
	for _, typed := range []string{"1234", "１２３４", " 12 34 ", "12-34", "12\u201334", "１２\u2014３４", "12\u00a034", "12\u221234", "１2３4"} {
		c := f.client()
		resp, _ := f.do(c, "POST", p, url.Values{"pin": {typed}}, nil)
		if resp.StatusCode != 303 {
			t.Errorf("PIN typed as %q: %d, want 303", typed, resp.StatusCode)
			continue
		}
		if resp, _ := f.get(c, fmt.Sprintf("/g/%s/t/%d", af.a.Slug, af.pa.ID)); resp.StatusCode != 200 {
			t.Errorf("PIN typed as %q did not open the gallery: %d", typed, resp.StatusCode)
		}
	}
}

// TestAdversarial_ThrottleBypass: without --trust-proxy a made-up
// X-Forwarded-For changes nothing, and changing the PIN's length does not
// start a new count.
func TestAdversarial_ThrottleBypass(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	p := "/g/" + af.a.Slug + "/pin"
	limited := 0
	for i := 0; i < 20; i++ {
		pin := strings.Repeat("9", 4+i%9) // 4 to 12 digits
		hdr := http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i)}, "X-Real-Ip": {fmt.Sprintf("192.0.2.%d", i)},
			"Forwarded": {fmt.Sprintf("for=203.0.113.%d", i)}}
		resp, _ := f.do(f.client(), "POST", p, url.Values{"pin": {pin}}, hdr)
		if resp.StatusCode == 429 {
			limited++
		}
	}
	if limited != 20-FreeTries {
		t.Fatalf("%d of 20 tries throttled, want %d", limited, 20-FreeTries)
	}
	// The same for client access codes.
	limited = 0
	for i := 0; i < 10; i++ {
		resp, _ := f.do(f.client(), "POST", "/login", url.Values{"code": {strings.Repeat("X", 4+i)}},
			http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i)}})
		if resp.StatusCode == 429 {
			limited++
		}
	}
	if limited != 10-FreeTries {
		t.Fatalf("logins: %d of 10 throttled, want %d", limited, 10-FreeTries)
	}
}

// TestAdversarial_ClosedParents: a sub-gallery of a draft or expired
// gallery is closed on every route, whatever the visitor holds.
func TestAdversarial_ClosedParents(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	cl, _ := f.store.CreateClient(ctx, db.ClientInput{Name: new("Ann")})
	for _, kind := range []string{"draft", "expired", "draft-child", "expired-child"} {
		tomorrow := f.clock.Now().Add(24 * time.Hour).Format(time.DateOnly)
		in := db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsOriginal)}
		switch kind {
		case "draft":
			in.Published = new(false)
		case "expired":
			in.Expires = new(tomorrow)
		}
		parent := f.gallery("P "+kind, in)
		cin := db.GalleryInput{Parent: new(parent.Slug), NavigateUp: new(true)}
		switch kind {
		case "draft-child":
			cin.Published = new(false)
		case "expired-child":
			cin.Expires = new(tomorrow)
		}
		child := f.gallery("C "+kind, cin)
		pp := f.addPhoto(parent, testPhotos[0])
		pc := f.addPhoto(child, testPhotos[1])
		f.store.Grant(ctx, cl.ID, parent.Slug)
		f.store.Grant(ctx, cl.ID, child.Slug)
		f.clock.Add(3 * 24 * time.Hour)
		closed := []string{}
		if kind == "draft" || kind == "expired" {
			closed = append(closed, galleryURLs(parent.Slug, pp.ID)...)
		}
		closed = append(closed, galleryURLs(child.Slug, pc.ID)...)
		holders := map[string]*http.Client{
			"none":    f.client(),
			"client":  f.withCookie(clientCookie, f.session(db.Session{ClientID: cl.ID})),
			"parent":  f.withCookie(galleryCookie(parent.ID), f.session(db.Session{GalleryID: parent.ID, PINVersion: 1})),
			"child":   f.withCookie(galleryCookie(parent.ID), f.session(db.Session{GalleryID: child.ID, PINVersion: 1})),
			"preview": f.withCookie(galleryCookie(parent.ID), f.session(db.Session{GalleryID: child.ID, Preview: true})),
		}
		if kind == "draft" || kind == "draft-child" {
			delete(holders, "preview") // the photographer's preview opens drafts: TestPreview_Draft
		}
		for hn, c := range holders {
			for _, u := range closed {
				resp, body := f.get(c, u)
				if resp.StatusCode != 404 && resp.StatusCode != 410 {
					t.Errorf("%s, %s holder, %s: %d, want 404 or 410", kind, hn, u, resp.StatusCode)
				}
				if resp.StatusCode < 500 && !bytes.Contains(body, []byte("not available")) && !bytes.Contains(body, []byte("expired")) {
					t.Errorf("%s, %s holder, %s: no clear page", kind, hn, u)
				}
				if isPhotoBytes(resp, body) {
					t.Errorf("%s, %s holder, %s: photo bytes", kind, hn, u)
				}
			}
			resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", child.Slug, pc.ID), url.Values{"on": {"1"}, "name": {"Eve"}}, nil)
			if resp.StatusCode != 404 && resp.StatusCode != 410 {
				t.Errorf("%s, %s holder: favourite %d", kind, hn, resp.StatusCode)
			}
			if kind == "draft" || kind == "expired" {
				// The parent's page must not list the closed child, and /me neither.
				_, body := f.get(c, "/me")
				if bytes.Contains(body, []byte(child.Slug)) || bytes.Contains(body, []byte(parent.Slug)) {
					t.Errorf("%s, %s holder: /me lists a closed gallery", kind, hn)
				}
			}
		}
		if favs, _ := f.store.Favourites(ctx, child.ID); len(favs) != 0 {
			t.Errorf("%s: favourites written: %v", kind, favs)
		}
	}
}

// TestAdversarial_PreviewAfter15Minutes: a preview link and the cookie it
// set stop working after 15 minutes on every route, downloads included.
func TestAdversarial_PreviewAfter15Minutes(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	tok := f.session(db.Session{GalleryID: af.a.ID, Preview: true, ExpiresAt: f.clock.Now().Add(PreviewTTL)})
	c := f.client()
	if resp, _ := f.get(c, "/preview/"+tok); resp.StatusCode != 303 {
		t.Fatalf("preview link: %d", resp.StatusCode)
	}
	if resp, _ := f.get(c, fmt.Sprintf("/g/%s/d/%d", af.a.Slug, af.pa.ID)); resp.StatusCode != 200 {
		t.Fatalf("inside the 15 minutes: %d", resp.StatusCode)
	}
	f.clock.Add(PreviewTTL)
	for _, u := range galleryURLs(af.a.Slug, af.pa.ID) {
		resp, body := f.get(c, u)
		af.hygiene(t, u, resp, body)
		if resp.StatusCode == 200 && bytes.Contains(body, []byte(`id="grid"`)) || isPhotoBytes(resp, body) {
			t.Errorf("%s after 15 minutes: %d", u, resp.StatusCode)
		}
	}
	resp, body := f.get(f.client(), "/preview/"+tok)
	af.hygiene(t, "/preview/", resp, body)
	if resp.StatusCode != 410 || len(resp.Cookies()) != 0 {
		t.Errorf("old preview link: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	// A PIN session's or a client's token is not a preview link.
	for _, tk := range []string{af.clientToken, f.session(db.Session{GalleryID: af.a.ID, PINVersion: af.a.PINVersion}), "", "x", strings.Repeat("a", 5000)} {
		resp, body := f.get(f.client(), "/preview/"+url.PathEscape(tk))
		if resp.StatusCode != 410 && resp.StatusCode != 404 && resp.StatusCode != 301 || len(resp.Cookies()) != 0 {
			t.Errorf("preview with a non-preview token: %d, cookies %v", resp.StatusCode, resp.Cookies())
		}
		af.hygiene(t, "/preview/", resp, body)
	}
}

// TestAdversarial_OpenRedirect: no next or return parameter leads off the
// gallery.
func TestAdversarial_OpenRedirect(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	nexts := []string{"//evil.example", "https://evil.example/", "/\\evil.example", "\\\\evil.example", "/g/" + af.a.Slug + "/../../evil",
		"/g/" + af.a.Slug + "//evil.example", "/g/" + af.b.Slug, "/g/" + af.a.Slug + "@evil.example", "javascript:alert(1)",
		"/g/" + af.a.Slug + "\r\nLocation: https://evil.example", "/g/" + af.a.Slug + "/p/1?x=//evil", "//evil.example?fav=1",
		"https://evil.example/?fav=1", "/%2f%2fevil.example", " //evil.example", "/g/" + af.a.Slug + "/p/1#//evil"}
	ok := func(loc string) bool {
		return loc == "/g/"+af.a.Slug || strings.HasPrefix(loc, "/g/"+af.a.Slug+"/") || loc == "/g/"+af.a.Slug+"?fav=1"
	}
	for _, n := range nexts {
		c := f.client()
		resp, _ := f.do(c, "POST", "/g/"+af.a.Slug+"/pin", url.Values{"pin": {"1234"}, "next": {n}}, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || !ok(loc) || strings.ContainsAny(loc, "\r\n\\@") {
			t.Errorf("pin next=%q: %d → %q", n, resp.StatusCode, loc)
		}
		resp, _ = f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", af.a.Slug, af.pa.ID), url.Values{"on": {"1"}, "name": {"Eve"}, "next": {n}}, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || !ok(loc) || strings.ContainsAny(loc, "\r\n\\@") {
			t.Errorf("fav next=%q: %d → %q", n, resp.StatusCode, loc)
		}
		for _, p := range []string{"/login?next=" + url.QueryEscape(n), "/logout?next=" + url.QueryEscape(n), "/logout?return=" + url.QueryEscape(n)} {
			resp, _ := f.do(c, "POST", p, url.Values{"next": {n}, "return": {n}, "code": {"x"}}, nil)
			if loc := resp.Header.Get("Location"); loc != "" && loc != "/" && loc != "/me" {
				t.Errorf("%s: → %q", p, loc)
			}
		}
	}
	// Trailing-slash redirects stay on the site.
	for _, p := range []string{"//evil.example/", "/g/" + af.a.Slug + "/", "///evil.example/", "/%2fevil.example/"} {
		resp, _ := f.get(f.client(), p)
		if loc := resp.Header.Get("Location"); strings.HasPrefix(loc, "//") || strings.Contains(loc, "://") {
			t.Errorf("GET %s → %q", p, loc)
		}
	}
}

// TestAdversarial_ErrorPages: every kind of error page carries the
// security headers and nothing internal; a failing file read is a plain
// 500 with no path in it.
func TestAdversarial_ErrorPages(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	draft := f.gallery("Draft", db.GalleryInput{Published: new(false)})
	tomorrow := f.clock.Now().Add(24 * time.Hour).Format(time.DateOnly)
	exp := f.gallery("Exp", db.GalleryInput{Expires: new(tomorrow)})
	off := f.gallery("Off", db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsOff)})
	po := f.addPhoto(off, testPhotos[3])
	f.clock.Add(3 * 24 * time.Hour)
	pub := "/g/" + af.pub.Slug
	cases := []struct {
		method, path string
		form         url.Values
		hdr          http.Header
		status       int
	}{
		{"GET", "/nowhere", nil, nil, 404},
		{"GET", "/g/" + draft.Slug, nil, nil, 404},
		{"GET", "/g/" + exp.Slug, nil, nil, 410},
		{"GET", "/g/" + af.a.Slug + "/t/" + fmt.Sprint(af.pa.ID), nil, nil, 403},
		{"GET", "/g/" + af.a.Slug + "/d/" + fmt.Sprint(af.pa.ID), nil, nil, 403},
		{"GET", fmt.Sprintf("/g/%s/d/%d", off.Slug, po.ID), nil, nil, 403},
		{"GET", "/g/" + off.Slug + "/zip", nil, nil, 403},
		{"PUT", pub, nil, nil, 405},
		{"POST", "/g/" + af.a.Slug + "/pin", url.Values{"pin": {"1"}}, http.Header{"Origin": {"https://evil.example"}}, 403},
		{"GET", "/preview/nope", nil, nil, 410},
	}
	for _, c := range cases {
		resp, body := f.do(f.client(), c.method, c.path, c.form, c.hdr)
		af.hygiene(t, c.path, resp, body)
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: %d, want %d", c.method, c.path, resp.StatusCode, c.status)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("%s %s: Content-Type %q", c.method, c.path, ct)
		}
	}
	// 429 from the throttle.
	for i := 0; i <= FreeTries; i++ {
		resp, body := f.do(f.client(), "POST", "/g/"+af.b.Slug+"/pin", url.Values{"pin": {"0000"}}, nil)
		af.hygiene(t, "/g/"+af.b.Slug+"/pin", resp, body)
		if i == FreeTries && resp.StatusCode != 429 {
			t.Errorf("try %d: %d, want 429", i, resp.StatusCode)
		}
	}
	// 500: the original, the preview and the thumbnail cannot be opened (not missing):
	// each is a symbolic link to itself, which fails even for root.
	for _, p := range []string{originalPath(f.lib, af.pp.SHA256), previewPath(f.lib, af.pp.SHA256), thumbnailPath(f.lib, af.pp.SHA256)} {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(p, p); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{fmt.Sprintf("%s/d/%d", pub, af.pp.ID), fmt.Sprintf("%s/v/%d", pub, af.pp.ID), fmt.Sprintf("%s/t/%d", pub, af.pp.ID)} {
		resp, body := f.get(f.client(), p)
		if resp.StatusCode != 500 && resp.StatusCode != 404 {
			t.Errorf("%s unreadable: %d", p, resp.StatusCode)
		}
		if cd := resp.Header.Get("Content-Disposition"); cd != "" {
			t.Errorf("%s: error page as an attachment: %q", p, cd)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors") {
			t.Errorf("%s: 500 without the security headers", p)
		}
		if resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: a 500 cacheable as %q", p, resp.Header.Get("Cache-Control"))
		}
		for _, leak := range []string{"too many levels", "symbolic", af.pp.SHA256, af.dir, ".go:", "goroutine"} {
			if bytes.Contains(body, []byte(leak)) {
				t.Errorf("%s: body leaks %q", p, leak)
			}
		}
	}
}

// TestAdversarial_VisitorName: the first name a visitor types is shown to
// the photographer (TUI, activity, favourites): it keeps no control
// character (C0, DEL, C1 such as U+009B CSI), no bidirectional override
// that would disguise it, and no invalid UTF-8.
func TestAdversarial_VisitorName(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	ctx := context.Background()
	for i, name := range []string{"Eve\x1b]0;x\x07", "Eve\u009b2J", "Eve\u202egnp.exe", "Eve\u2066x\u2069", "Eve\xff\xfe", "Eve\u0085\u200f"} {
		c := f.client()
		resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", af.pub.Slug, af.pp.ID), url.Values{"on": {"1"}, "name": {name}}, nil)
		if resp.StatusCode != 303 {
			t.Fatalf("name %d: %d", i, resp.StatusCode)
		}
	}
	favs, err := f.store.Favourites(ctx, af.pub.ID)
	if err != nil {
		t.Fatal(err)
	}
	evs, _ := f.store.Events(ctx, db.EventFilter{GalleryID: af.pub.ID})
	var names []string
	for _, fv := range favs {
		names = append(names, fv.Person)
	}
	for _, e := range evs {
		names = append(names, e.Visitor)
	}
	for _, n := range names {
		if !utf8.ValidString(n) {
			t.Errorf("stored name %q is not UTF-8", n)
		}
		for _, r := range n {
			if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				t.Errorf("stored name %q holds %U", n, r)
			}
		}
	}
}

// TestAdversarial_ThrottleIPv6: one IPv6 host holds a whole /64 (2^64
// addresses), so counting per address would give it endless free tries.
// A /64 counts as one address; another /64 is not affected.
func TestAdversarial_ThrottleIPv6(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustProxy = true })
	f.h.loginFloor = 0
	g := f.gallery("V6", db.GalleryInput{Access: new(db.PINAccess), PIN: new("4711")})
	post := func(path string, form url.Values, addr string) int {
		resp, _ := f.do(f.client(), "POST", path, form, http.Header{"X-Forwarded-For": {addr}})
		return resp.StatusCode
	}
	limited := 0
	for i := 1; i <= 20; i++ {
		if post("/g/"+g.Slug+"/pin", url.Values{"pin": {"0000"}}, fmt.Sprintf("2001:db8:1:2::%x", i)) == 429 {
			limited++
		}
	}
	if limited != 20-FreeTries {
		t.Fatalf("20 wrong PINs from one /64: %d throttled, want %d", limited, 20-FreeTries)
	}
	limited = 0
	for i := 1; i <= 10; i++ {
		if post("/login", url.Values{"code": {"WRONG2345"}}, fmt.Sprintf("2001:db8:1:2:%x::1", i)) == 429 {
			limited++
		}
	}
	if limited != 10-FreeTries {
		t.Fatalf("10 wrong codes from one /64: %d throttled, want %d", limited, 10-FreeTries)
	}
	if code := post("/g/"+g.Slug+"/pin", url.Values{"pin": {"4711"}}, "2001:db8:1:3::1"); code != 303 {
		t.Fatalf("another /64 with the right PIN: %d", code)
	}
	if code := post("/g/"+g.Slug+"/pin", url.Values{"pin": {"4711"}}, "203.0.113.1"); code != 303 {
		t.Fatalf("an IPv4 address with the right PIN: %d", code)
	}
}

// TestAdversarial_DownloadType: an original is served as an image or as
// plain bytes, whatever its file name claims: a photo imported as
// "x.html" or "x.svg" must not come back as a page or a script-capable
// image from the site's own origin.
func TestAdversarial_DownloadType(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Types", db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsOriginal)})
	jpeg, err := os.ReadFile(testPhotos[0])
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"evil.html", "evil.HTM", "evil.svg", "evil.xhtml", "evil.js", "evil.xml", "evil.pdf", "evil", "photo.JPG"} {
		src := filepath.Join(t.TempDir(), name)
		os.WriteFile(src, append(append([]byte{}, jpeg...), byte(i)), 0o644) // distinct bytes, still a JPEG
		p := f.addPhoto(g, src)
		resp, _ := f.get(f.client(), fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID))
		ct := resp.Header.Get("Content-Type")
		if resp.StatusCode != 200 || !(ct == "application/octet-stream" || strings.HasPrefix(ct, "image/") && !strings.Contains(ct, "svg")) {
			t.Errorf("%s: %d, Content-Type %q", name, resp.StatusCode, ct)
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("%s: not an attachment", name)
		}
	}
}

// TestAdversarial_PostBodyLimit: every form here is a few short fields.
// A visitor without any access must not make the server read (into memory,
// or spooled to disk for a multipart file) megabytes per request: a large
// declared body is refused with 413 before it is read, and a streamed one
// is cut at the limit, so a right PIN behind 1 MB of padding does not count.
func TestAdversarial_PostBodyLimit(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	pad := strings.Repeat("x", 1<<20)
	for _, p := range []string{"/login", "/logout", "/g/" + af.a.Slug + "/pin", fmt.Sprintf("/g/%s/fav/%d", af.pub.Slug, af.pp.ID)} {
		resp, body := f.do(f.client(), "POST", p, url.Values{"pad": {pad}, "pin": {"1234"}, "code": {"x"}}, nil)
		af.hygiene(t, p, resp, body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with 1 MB: %d, want 413", p, resp.StatusCode)
		}
	}
	// Streamed without a length: the body is cut, the PIN after it unseen.
	body := strings.NewReader(url.Values{"pad": {pad}}.Encode() + "&pin=1234")
	req, _ := http.NewRequest("POST", f.srv.URL+"/g/"+af.a.Slug+"/pin", io.NopCloser(body))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := f.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusSeeOther {
		t.Errorf("a PIN behind 1 MB of streamed padding was accepted")
	}
	// A normal form still works.
	if resp, _ := f.do(f.client(), "POST", "/g/"+af.a.Slug+"/pin", url.Values{"pin": {"1234"}, "next": {"/g/" + af.a.Slug}}, nil); resp.StatusCode != 303 {
		t.Errorf("normal PIN form: %d", resp.StatusCode)
	}
}

// TestAdversarial_PINSessionOfAnotherGallery: a PIN session records the
// gallery where the PIN was typed and that PIN's version. When a
// sub-gallery stops inheriting (gets its own PIN, to keep the parent's
// clients out) or moves to another parent, a session made with the old
// parent's PIN must not open it, even with its token copied under the
// cookie name of the gallery whose PIN now applies and the version numbers
// happening to match.
func TestAdversarial_PINSessionOfAnotherGallery(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	p1 := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1111")})
	p1, _ = f.store.UpdateGallery(ctx, p1.Slug, db.GalleryInput{PIN: new("1112")}, false) // the PIN was re-sent once
	party := f.gallery("Party", db.GalleryInput{Parent: new(p1.Slug), NavigateUp: new(true)})
	pp := f.addPhoto(party, testPhotos[0])
	// A guest of the wedding types the wedding's PIN at the party's link.
	c := f.client()
	if resp, _ := f.do(c, "POST", "/g/"+party.Slug+"/pin", url.Values{"pin": {"1112"}}, nil); resp.StatusCode != 303 {
		t.Fatalf("PIN at the party: %d", resp.StatusCode)
	}
	tok := cookieValue(c, f.srv.URL, galleryCookie(p1.ID))
	if tok == "" {
		t.Fatal("no session cookie")
	}
	// The photographer gives the party its own PIN.
	party, err := f.store.UpdateGallery(ctx, party.Slug, db.GalleryInput{Access: new(db.PINAccess), PIN: new("9999")}, false)
	if err != nil {
		t.Fatal(err)
	}
	thumb := fmt.Sprintf("/g/%s/t/%d", party.Slug, pp.ID)
	for _, name := range []string{galleryCookie(p1.ID), galleryCookie(party.ID)} {
		if resp, body := f.get(f.withCookie(name, tok), thumb); resp.StatusCode != 403 || isPhotoBytes(resp, body) {
			t.Errorf("own PIN now; old session under %s: %d", name, resp.StatusCode)
		}
	}
	// Moved under another parent whose PIN version is the same number.
	party, _ = f.store.UpdateGallery(ctx, party.Slug, db.GalleryInput{Access: new(db.Inherit)}, false)
	p2 := f.gallery("Other couple", db.GalleryInput{Access: new(db.PINAccess), PIN: new("2221")})
	p2, _ = f.store.UpdateGallery(ctx, p2.Slug, db.GalleryInput{PIN: new("2222")}, false)
	p2ph := f.addPhoto(p2, testPhotos[1])
	c = f.client()
	f.store.UpdateGallery(ctx, party.Slug, db.GalleryInput{Parent: new(p1.Slug), Access: new(db.Inherit)}, false)
	if resp, _ := f.do(c, "POST", "/g/"+party.Slug+"/pin", url.Values{"pin": {"1112"}}, nil); resp.StatusCode != 303 {
		t.Fatalf("PIN at the party again: %d", resp.StatusCode)
	}
	tok = cookieValue(c, f.srv.URL, galleryCookie(p1.ID))
	if _, err := f.store.UpdateGallery(ctx, party.Slug, db.GalleryInput{Parent: new(p2.Slug)}, false); err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{thumb, fmt.Sprintf("/g/%s/t/%d", p2.Slug, p2ph.ID)} {
		if resp, body := f.get(f.withCookie(galleryCookie(p2.ID), tok), u); resp.StatusCode != 403 || isPhotoBytes(resp, body) {
			t.Errorf("moved under another parent; old session under its cookie name, %s: %d", u, resp.StatusCode)
		}
	}
}

// TestAdversarial_LoginParallelBurst: the same for client access codes.
func TestAdversarial_LoginParallelBurst(t *testing.T) {
	f := newClientFixture(t)
	const n = 40
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, _ := f.do(f.client(), "POST", "/login", url.Values{"code": {"WRONG-CODE-1"}}, nil)
			mu.Lock()
			codes[resp.StatusCode]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	if codes[http.StatusForbidden] > FreeTries || codes[http.StatusForbidden]+codes[http.StatusTooManyRequests] != n {
		t.Fatalf("parallel burst of %d wrong codes: %v; want at most %d checked (403), the rest 429", n, codes, FreeTries)
	}
}

// TestAdversarial_DuplicateCookies: a browser may send two cookies of the
// same name (one set for a parent domain by a sibling site, or left from
// another path), in any order. A stale or foreign one sent first does not
// hide the visitor's valid session, which would send them back to the PIN
// page after every correct PIN; and a valid one of another gallery under
// the name still opens nothing.
func TestAdversarial_DuplicateCookies(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	tokA := f.session(db.Session{GalleryID: af.a.ID, PINVersion: af.a.PINVersion})
	tokB := f.session(db.Session{GalleryID: af.b.ID, PINVersion: af.b.PINVersion})
	nameA := galleryCookie(af.a.ID)
	for _, tc := range []struct {
		what, cookie string
		opens        bool
	}{
		{"garbage, then the PIN session", nameA + "=garbage; " + nameA + "=" + tokA, true},
		{"the PIN session, then garbage", nameA + "=" + tokA + "; " + nameA + "=garbage", true},
		{"garbage, then the client login", clientCookie + "=garbage; " + clientCookie + "=" + af.clientToken, true},
		{"garbage, then B's session", nameA + "=garbage; " + nameA + "=" + tokB, false},
		{"garbage twice", nameA + "=x; " + nameA + "=y", false},
	} {
		for _, u := range []string{"/g/" + af.a.Slug, fmt.Sprintf("/g/%s/t/%d", af.a.Slug, af.pa.ID)} {
			resp, body := f.do(f.client(), "GET", u, nil, http.Header{"Cookie": {tc.cookie}})
			af.hygiene(t, u, resp, body)
			opened := resp.StatusCode == 200 && (isPhotoBytes(resp, body) || bytes.Contains(body, []byte(`id="grid"`)))
			if opened != tc.opens {
				t.Errorf("%s, %s: %d, opened=%v, want %v", tc.what, u, resp.StatusCode, opened, tc.opens)
			}
		}
	}
}

// TestAdversarial_ZipWithAMissingFile: a gallery whose ZIP holds a photo
// whose file went missing (a disk cleaned by hand, a bad restore) says so
// and what still works, not "try again in a moment", which never helps.
func TestAdversarial_ZipWithAMissingFile(t *testing.T) {
	af := newAdvFixture(t)
	f := af.fixture
	second := f.addPhoto(af.pub, testPhotos[0])
	if err := f.lib.Store().Delete(context.Background(), media.OriginalKey(second.SHA256)); err != nil {
		t.Fatal(err)
	}
	u := "/g/" + af.pub.Slug + "/zip"
	resp, body := f.get(f.client(), u)
	af.hygiene(t, u, resp, body)
	if resp.StatusCode == http.StatusInternalServerError || !bytes.Contains(body, []byte("missing")) || bytes.Contains(body, []byte("try again in a moment")) {
		t.Errorf("%s with a photo's file missing: %d\n%s", u, resp.StatusCode, body)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != "" {
		t.Errorf("an error page offered as a download: %s", cd)
	}
	// The others still download one by one.
	if resp, _ := f.get(f.client(), fmt.Sprintf("/g/%s/d/%d", af.pub.Slug, af.pp.ID)); resp.StatusCode != 200 {
		t.Errorf("the photo that is there: %d", resp.StatusCode)
	}
}
