package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

// login posts an access code and returns the client (cookie jar) and status.
func (f *fixture) login(code string) (*http.Client, *http.Response) {
	c := f.client()
	resp, _ := f.do(c, "POST", "/login", url.Values{"code": {code}}, nil)
	return c, resp
}

func newClientFixture(t *testing.T) *fixture {
	f := newFixture(t)
	f.h.loginFloor = 0
	return f
}

// TestClient_Login: a code typed in lower case with spaces and dashes
// logs in (session rotated), wrong codes are refused and throttled, and a
// wrong code takes as long as a right one.
func TestClient_Login(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna Smith"), Code: new("K7QP2MXD9RTW")})
	if err != nil {
		t.Fatal(err)
	}
	c, resp := f.login(" k7qp-2mxd 9rtw ")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/me" {
		t.Fatalf("login: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	first := cookieValue(c, f.srv.URL, clientCookie)
	f.do(c, "POST", "/login", url.Values{"code": {"K7QP2MXD9RTW"}}, nil)
	if second := cookieValue(c, f.srv.URL, clientCookie); second == first || second == "" {
		t.Fatal("session not rotated on login")
	}
	if _, err := f.store.SessionByToken(ctx, first); err == nil {
		t.Fatal("old session still valid after a new login")
	}
	if resp, body := f.get(c, "/me"); resp.StatusCode != 200 || !bytes.Contains(body, []byte("Hello, Anna Smith")) {
		t.Fatalf("/me: %d", resp.StatusCode)
	}
	// Logout ends it.
	f.do(c, "POST", "/logout", url.Values{}, nil)
	if resp, _ := f.get(c, "/me"); resp.StatusCode != 303 {
		t.Fatalf("/me after logout: %d", resp.StatusCode)
	}
	// Wrong codes: 403, then throttled with 429.
	for i := 0; i < FreeTries; i++ {
		if _, resp := f.login("WRONGCODE22"); resp.StatusCode != 403 {
			t.Fatalf("wrong code %d: %d", i, resp.StatusCode)
		}
	}
	if _, resp := f.login("K7QP2MXD9RTW"); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("throttled: %d", resp.StatusCode)
	}
	f.clock.Add(time.Second)
	if _, resp := f.login("K7QP2MXD9RTW"); resp.StatusCode != 303 {
		t.Fatalf("right code after waiting: %d", resp.StatusCode)
	}
	// Timing: with the floor on, right and wrong take the same floor.
	f.h.loginFloor = 150 * time.Millisecond
	for _, code := range []string{"K7QP2MXD9RTW", "NOTACODE222"} {
		start := time.Now()
		f.login(code)
		if d := time.Since(start); d < 150*time.Millisecond {
			t.Errorf("%s answered in %v, under the floor", code, d)
		}
	}
	evs, _ := f.store.Events(ctx, db.EventFilter{Kind: db.EventLoginFail})
	if len(evs) < FreeTries {
		t.Errorf("%d login_fail events", len(evs))
	}
	_ = cl
}

func cookieValue(c *http.Client, base, name string) string {
	for _, ck := range c.Jar.Cookies(mustURL(base)) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// TestClient_AccessMatrix: client sessions open exactly the granted
// galleries (and children of granted parents) without PIN, whatever the
// access mode; revoking or deleting ends access at the next request;
// expired and draft galleries stay closed; previews open and record nothing
// until they expire.
func TestClient_AccessMatrix(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	mk := func(title string, in db.GalleryInput) (db.Gallery, db.Photo) {
		if in.Access == nil && in.Parent == nil {
			in.Access = new(db.PINAccess)
			in.PIN = new("1234")
		}
		g := f.gallery(title, in)
		p := f.addPhoto(g, testPhotos[0])
		g, _ = f.store.GalleryByID(ctx, g.ID)
		return g, p
	}
	pinG, pinP := mk("PIN", db.GalleryInput{})
	dlG, dlP := mk("Download PIN", db.GalleryInput{Access: new(db.DownloadPIN), PIN: new("2345")})
	parent, parentP := mk("Parent", db.GalleryInput{})
	child, childP := mk("Child", db.GalleryInput{Parent: new(parent.Slug)})
	ownChild, ownChildP := mk("Own child", db.GalleryInput{Parent: new(parent.Slug), Access: new(db.PINAccess), PIN: new("9999")})
	notGranted, ngP := mk("Not granted", db.GalleryInput{})
	tomorrow := f.clock.Now().Add(24 * time.Hour).Format(time.DateOnly)
	expired, expP := mk("Expired", db.GalleryInput{Expires: new(tomorrow)})
	draft, draftP := mk("Draft", db.GalleryInput{Published: new(false)})
	// A child whose parent is granted, with navigate-up: its parent not granted.
	upParent, upParentP := mk("Up parent", db.GalleryInput{})
	upChild, upChildP := mk("Up child", db.GalleryInput{Parent: new(upParent.Slug), NavigateUp: new(true)})

	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Grant(ctx, cl.ID, pinG.Slug, dlG.Slug, parent.Slug, expired.Slug, draft.Slug, upChild.Slug); err != nil {
		t.Fatal(err)
	}
	f.clock.Add(3 * 24 * time.Hour)
	c, _ := f.login(cl.Code)

	thumb := func(c *http.Client, g db.Gallery, p db.Photo) int {
		resp, _ := f.get(c, fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID))
		return resp.StatusCode
	}
	download := func(c *http.Client, g db.Gallery, p db.Photo) int {
		resp, _ := f.get(c, fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID))
		return resp.StatusCode
	}
	cases := []struct {
		name     string
		g        db.Gallery
		p        db.Photo
		view, dl int
	}{
		{"granted pin", pinG, pinP, 200, 200},
		{"granted download-pin", dlG, dlP, 200, 200},
		{"granted parent", parent, parentP, 200, 200},
		{"child of granted parent", child, childP, 200, 200},
		{"own-PIN child of granted parent", ownChild, ownChildP, 200, 200},
		{"not granted", notGranted, ngP, 403, 403},
		{"granted but expired", expired, expP, 410, 410},
		{"granted but draft", draft, draftP, 404, 404},
		{"granted child", upChild, upChildP, 200, 200},
		{"parent of granted child (navigate-up)", upParent, upParentP, 403, 403},
	}
	for _, tc := range cases {
		if got := thumb(c, tc.g, tc.p); got != tc.view {
			t.Errorf("%s: thumbnail %d, want %d", tc.name, got, tc.view)
		}
		if got := download(c, tc.g, tc.p); got != tc.dl {
			t.Errorf("%s: download %d, want %d", tc.name, got, tc.dl)
		}
	}
	// The dashboard lists what opens, not the expired or the draft.
	_, body := f.get(c, "/me")
	for _, g := range []db.Gallery{pinG, dlG, parent, child, ownChild, upChild} {
		if !bytes.Contains(body, []byte(`href="/g/`+g.Slug+`"`)) {
			t.Errorf("/me lacks %s", g.Title)
		}
	}
	for _, g := range []db.Gallery{notGranted, expired, draft, upParent} {
		if bytes.Contains(body, []byte(`href="/g/`+g.Slug+`"`)) {
			t.Errorf("/me shows %s", g.Title)
		}
	}
	// A client session never opens a gallery that was not granted, even by
	// a direct link: the gallery's own PIN rules apply.
	if _, body := f.get(c, "/g/"+notGranted.Slug); !bytes.Contains(body, []byte(`one-time-code`)) {
		t.Error("not granted: no PIN form")
	}
	// Revoke: closed at the very next request.
	if err := f.store.Revoke(ctx, cl.ID, pinG.Slug); err != nil {
		t.Fatal(err)
	}
	if got := thumb(c, pinG, pinP); got != 403 {
		t.Errorf("after revoke: %d", got)
	}
	// Delete the client: everything closes.
	if err := f.store.DeleteClient(ctx, cl.ID); err != nil {
		t.Fatal(err)
	}
	if got := thumb(c, dlG, dlP); got != 200 { // download-pin: viewing stays open to all
		t.Errorf("after delete, download-pin view: %d", got)
	}
	if got := download(c, dlG, dlP); got != 403 {
		t.Errorf("after delete, download: %d", got)
	}
	if got := thumb(c, parent, parentP); got != 403 {
		t.Errorf("after delete, parent: %d", got)
	}
	if resp, _ := f.get(c, "/me"); resp.StatusCode != 303 {
		t.Errorf("after delete, /me: %d", resp.StatusCode)
	}
}

// TestPreview: a gallery preview link opens the gallery as a client sees
// it, marked Preview, records no events and no favourites, and stops
// after 15 minutes; a client preview shows the dashboard.
func TestPreview(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	p := f.addPhoto(g, testPhotos[0])
	tok := f.session(db.Session{GalleryID: g.ID, Preview: true, ExpiresAt: f.clock.Now().Add(PreviewTTL)})
	c := f.client()
	resp, _ := f.get(c, "/preview/"+tok)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/g/"+g.Slug {
		t.Fatalf("preview link: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, body := f.get(c, "/g/"+g.Slug)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`class="preview-bar"`)) || !bytes.Contains(body, []byte(`id="grid"`)) {
		t.Fatalf("preview page: %d", resp.StatusCode)
	}
	if bytes.Contains(body, []byte(`class="heart"`)) {
		t.Error("hearts in a preview")
	}
	f.get(c, fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID))
	f.get(c, "/g/"+g.Slug+"/zip")
	if resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), url.Values{"name": {"Me"}}, nil); resp.StatusCode != 403 {
		t.Errorf("favourite in preview: %d", resp.StatusCode)
	}
	evs, _ := f.store.Events(ctx, db.EventFilter{GalleryID: g.ID})
	favs, _ := f.store.Favourites(ctx, g.ID)
	if len(evs) != 0 || len(favs) != 0 {
		t.Errorf("preview recorded %d events, %d favourites", len(evs), len(favs))
	}
	// After 15 minutes: closed.
	f.clock.Add(PreviewTTL + time.Second)
	if resp, _ := f.get(c, fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID)); resp.StatusCode != 403 {
		t.Errorf("expired preview: %d", resp.StatusCode)
	}
	if resp, _ := f.get(f.client(), "/preview/"+tok); resp.StatusCode != 410 {
		t.Errorf("expired preview link: %d", resp.StatusCode)
	}
	// A client preview shows the dashboard.
	cl, _ := f.store.CreateClient(ctx, db.ClientInput{Name: new("Ben")})
	f.store.Grant(ctx, cl.ID, g.Slug)
	ctok := f.session(db.Session{ClientID: cl.ID, Preview: true, ExpiresAt: f.clock.Now().Add(PreviewTTL)})
	c = f.client()
	f.get(c, "/preview/"+ctok)
	resp, body = f.get(c, "/me")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("preview-bar")) || !bytes.Contains(body, []byte(g.Slug)) {
		t.Fatalf("client preview: %d", resp.StatusCode)
	}
	if evs, _ := f.store.Events(ctx, db.EventFilter{ClientID: cl.ID}); len(evs) != 0 {
		t.Errorf("client preview recorded %d events", len(evs))
	}
}

// TestFavourites: per person (PIN visitors by first name, asked once) and
// per client; the ZIP of favourites holds exactly the picks.
func TestFavourites(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	var ps []db.Photo
	for _, p := range testPhotos {
		ps = append(ps, f.addPhoto(g, p))
	}
	fav := func(c *http.Client, p db.Photo, form url.Values) (*http.Response, []byte) {
		return f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), form, nil)
	}
	// Anna, a PIN visitor: asked for her name once.
	anna := f.client()
	f.do(anna, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"1234"}}, nil)
	resp, body := fav(anna, ps[0], url.Values{"on": {"1"}})
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`name="name"`)) {
		t.Fatalf("first heart: %d, want the name form", resp.StatusCode)
	}
	if resp, _ := fav(anna, ps[0], url.Values{"on": {"1"}, "name": {"Anna"}}); resp.StatusCode != 303 {
		t.Fatalf("heart with name: %d", resp.StatusCode)
	}
	if resp, _ := fav(anna, ps[2], url.Values{"on": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("second heart (name kept): %d", resp.StatusCode)
	}
	// JSON for the script.
	resp, body = f.do(anna, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, ps[3].ID), url.Values{"on": {"1"}}, http.Header{"Accept": {"application/json"}})
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`"count":3`)) {
		t.Fatalf("JSON answer: %s", body)
	}
	f.do(anna, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, ps[3].ID), url.Values{"on": {"0"}}, nil) // un-heart
	// Ben, another PIN visitor: his own list.
	ben := f.client()
	f.do(ben, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"1234"}}, nil)
	fav(ben, ps[1], url.Values{"on": {"1"}, "name": {"Ben"}})
	// A client login: the client's list.
	cl, _ := f.store.CreateClient(ctx, db.ClientInput{Name: new("Carla")})
	f.store.Grant(ctx, cl.ID, g.Slug)
	carla, _ := f.login(cl.Code)
	if resp, _ := fav(carla, ps[4], url.Values{"on": {"1"}}); resp.StatusCode != 303 {
		t.Fatalf("client heart: %d", resp.StatusCode)
	}
	all, err := f.store.Favourites(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int64{}
	for _, fv := range all {
		got[fv.Person] = append(got[fv.Person], fv.PhotoID)
	}
	want := map[string][]int64{"Anna": {ps[0].ID, ps[2].ID}, "Ben": {ps[1].ID}, "Carla": {ps[4].ID}}
	for k := range want {
		sort.Slice(got[k], func(i, j int) bool { return got[k][i] < got[k][j] })
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("favourites %v, want %v", got, want)
	}
	// Anna's page: the filter shows her two; her ZIP holds exactly them.
	_, body = f.get(anna, "/g/"+g.Slug+"?fav=1")
	if n := strings.Count(string(body), `<li data-r=`); n != 2 {
		t.Errorf("favourites filter shows %d photos", n)
	}
	names := f.zipNames(anna, "/g/"+g.Slug+"/favourites.zip")
	sort.Strings(names)
	wantNames := []string{ps[0].Filename, ps[2].Filename}
	sort.Strings(wantNames)
	if fmt.Sprint(names) != fmt.Sprint(wantNames) {
		t.Fatalf("favourites ZIP %v, want %v", names, wantNames)
	}
	evs, _ := f.store.Events(ctx, db.EventFilter{GalleryID: g.ID, Kind: db.EventFavourite})
	if len(evs) != 5 {
		t.Errorf("%d favourite events, want 5", len(evs))
	}
}

// TestPreview_Draft: the photographer's preview link opens a draft (and
// the draft's sub-galleries), marked as not published, and records
// nothing; clients still get the clear "not available" page.
func TestPreview_Draft(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	g := f.gallery("Draft wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234"), Published: new(false)})
	kid := f.gallery("Ceremony", db.GalleryInput{Parent: new(g.Slug)})
	p := f.addPhoto(g, testPhotos[0])
	kp := f.addPhoto(kid, testPhotos[1])
	tok := f.session(db.Session{GalleryID: g.ID, Preview: true, ExpiresAt: f.clock.Now().Add(PreviewTTL)})
	c := f.client()
	f.get(c, "/preview/"+tok)
	resp, body := f.get(c, "/g/"+g.Slug)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("Preview — not published")) || !bytes.Contains(body, []byte(`id="grid"`)) {
		t.Fatalf("preview of a draft: %d, marked: %v", resp.StatusCode, bytes.Contains(body, []byte("not published")))
	}
	for _, u := range []string{fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID), fmt.Sprintf("/g/%s/t/%d", kid.Slug, kp.ID), "/g/" + kid.Slug} {
		if resp, _ := f.get(c, u); resp.StatusCode != 200 {
			t.Errorf("preview %s: %d", u, resp.StatusCode)
		}
	}
	if evs, _ := f.store.Events(ctx, db.EventFilter{GalleryID: g.ID}); len(evs) != 0 {
		t.Errorf("preview of a draft recorded %d events", len(evs))
	}
	// Clients, whatever they hold, still find it closed.
	pin := f.withCookie(galleryCookie(g.ID), f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion}))
	for _, c := range []*http.Client{f.client(), pin} {
		if resp, body := f.get(c, "/g/"+g.Slug); resp.StatusCode != 404 || !bytes.Contains(body, []byte("not available")) {
			t.Errorf("client on a draft: %d", resp.StatusCode)
		}
	}
}
