package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"pinhole/db"
)

// picksOn is the photo ids a browser sees as its favourites on a
// gallery's page (the ?fav=1 filter).
func picksOn(t *testing.T, f *fixture, c *http.Client, slug string) []string {
	t.Helper()
	resp, body := f.get(c, "/g/"+slug+"?fav=1")
	if resp.StatusCode != 200 {
		t.Fatalf("%s?fav=1: %d", slug, resp.StatusCode)
	}
	out := []string{}
	for _, m := range regexp.MustCompile(`<li[^>]*><a href="/g/[^/]+/p/([0-9]+)"`).FindAllSubmatch(body, -1) {
		out = append(out, string(m[1]))
	}
	sort.Strings(out)
	return out
}

func ids(ps ...db.Photo) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, fmt.Sprint(p.ID))
	}
	sort.Strings(out)
	return out
}

// listsOf is the gallery's favourites as the photographer sees them: each
// list's photo ids by its name, "Anna" and "Anna (2)" where names repeat.
func listsOf(t *testing.T, f *fixture, g db.Gallery) map[string][]string {
	t.Helper()
	favs, err := f.store.Favourites(context.Background(), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	lists, err := f.store.PickLists(context.Background(), g.ID)
	if err != nil {
		t.Fatal(err)
	}
	label := map[int64]string{}
	seen := map[string]int{}
	for _, l := range lists {
		seen[strings.ToLower(l.Name)]++
		label[l.ID] = l.Name
		if n := seen[strings.ToLower(l.Name)]; n > 1 {
			label[l.ID] = fmt.Sprintf("%s (%d)", l.Name, n)
		}
	}
	out := map[string][]string{}
	for _, fv := range favs {
		out[label[fv.ListID]] = append(out[label[fv.ListID]], fmt.Sprint(fv.PhotoID))
	}
	for k := range out {
		sort.Strings(out[k])
	}
	return out
}

// TestFavourites_PerVisitor: two browsers whose visitors both say "Anna"
// keep two lists; neither sees nor changes the other's picks.
func TestFavourites_PerVisitor(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Garden party", db.GalleryInput{Access: new(db.Public)})
	var ps []db.Photo
	for _, p := range testPhotos[:3] {
		ps = append(ps, f.addPhoto(g, p))
	}
	fav := func(c *http.Client, p db.Photo, form url.Values) {
		t.Helper()
		resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), form, nil)
		if resp.StatusCode != 303 {
			t.Fatalf("heart %d: %d", p.ID, resp.StatusCode)
		}
	}
	anna1, anna2 := f.client(), f.client()
	f.get(anna1, "/g/"+g.Slug)
	f.get(anna2, "/g/"+g.Slug)
	fav(anna1, ps[0], url.Values{"on": {"1"}, "name": {"Anna"}})
	fav(anna2, ps[1], url.Values{"on": {"1"}, "name": {"anna"}})
	// The second Anna un-hearts the first one's pick: nothing happens to it.
	fav(anna2, ps[0], url.Values{"on": {"0"}})

	if got, want := picksOn(t, f, anna1, g.Slug), ids(ps[0]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("first Anna sees %v, want %v", got, want)
	}
	if got, want := picksOn(t, f, anna2, g.Slug), ids(ps[1]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("second Anna sees %v, want %v", got, want)
	}
	want := map[string][]string{"Anna": ids(ps[0]), "anna (2)": ids(ps[1])}
	if got := listsOf(t, f, g); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("lists %v, want %v", got, want)
	}
	// Her ZIP of favourites holds her pick only.
	if got := f.zipNames(anna2, "/g/"+g.Slug+"/favourites.zip"); fmt.Sprint(got) != fmt.Sprint([]string{ps[1].Filename}) {
		t.Errorf("second Anna's favourites ZIP %v", got)
	}
	// The name goes with the browser: a later pick does not ask again.
	fav(anna1, ps[2], url.Values{"on": {"1"}})
	if got, want := picksOn(t, f, anna1, g.Slug), ids(ps[0], ps[2]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("first Anna sees %v, want %v", got, want)
	}
}

// TestFavourites_DownloadPIN: on a gallery whose downloads need the PIN, a
// visitor without it neither sees nor changes the picks of one who has it,
// whatever name they give; a browser that held the PIN when it picked sees
// its list again only once it holds the (new) PIN again.
func TestFavourites_DownloadPIN(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.DownloadPIN), PIN: new("2468")})
	ps := []db.Photo{f.addPhoto(g, testPhotos[0]), f.addPhoto(g, testPhotos[1])}
	fav := func(c *http.Client, p db.Photo, form url.Values) int {
		t.Helper()
		resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), form, nil)
		return resp.StatusCode
	}
	bride := f.client()
	f.do(bride, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"2468"}}, nil)
	if code := fav(bride, ps[0], url.Values{"on": {"1"}, "name": {"Anna"}}); code != 303 {
		t.Fatalf("bride's heart: %d", code)
	}
	guest := f.client()
	f.get(guest, "/g/"+g.Slug)
	if got := picksOn(t, f, guest, g.Slug); len(got) != 0 {
		t.Errorf("guest without the PIN sees %v", got)
	}
	fav(guest, ps[0], url.Values{"on": {"0"}, "name": {"Anna"}})
	fav(guest, ps[1], url.Values{"on": {"1"}, "name": {"Anna"}})
	if got, want := picksOn(t, f, bride, g.Slug), ids(ps[0]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("bride sees %v, want %v", got, want)
	}
	if got, want := picksOn(t, f, guest, g.Slug), ids(ps[1]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("guest sees %v, want %v", got, want)
	}
	// A new PIN: the bride's browser no longer holds it, so her list is
	// out of its reach until she types the new one.
	g2, err := f.store.UpdateGallery(ctx, g.Slug, db.GalleryInput{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if got := picksOn(t, f, bride, g.Slug); len(got) != 0 {
		t.Errorf("bride's browser without the new PIN sees %v", got)
	}
	fav(bride, ps[0], url.Values{"on": {"0"}, "name": {"Anna"}})
	f.do(bride, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {g2.PIN}}, nil)
	if got, want := picksOn(t, f, bride, g.Slug), ids(ps[0]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("bride with the new PIN sees %v, want %v", got, want)
	}
	want := map[string][]string{"Anna": ids(ps[0]), "Anna (2)": ids(ps[1])}
	if got := listsOf(t, f, g); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("lists %v, want %v", got, want)
	}
}

// TestFavourites_ClientLogin: a client login's favourites belong to the
// login, on every browser it logs in on, and never mix with a visitor of
// the same name.
func TestFavourites_ClientLogin(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	ps := []db.Photo{f.addPhoto(g, testPhotos[0]), f.addPhoto(g, testPhotos[1])}
	cl, _ := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna")})
	f.store.Grant(ctx, cl.ID, g.Slug)
	laptop, _ := f.login(cl.Code)
	phone, _ := f.login(cl.Code)
	if resp, _ := f.do(laptop, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, ps[0].ID), url.Values{"on": {"1"}}, nil); resp.StatusCode != 303 {
		t.Fatalf("client heart: %d", resp.StatusCode)
	}
	visitor := f.client()
	f.do(visitor, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"1234"}}, nil)
	f.do(visitor, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, ps[1].ID), url.Values{"on": {"1"}, "name": {"Anna"}}, nil)
	f.do(visitor, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, ps[0].ID), url.Values{"on": {"0"}}, nil)
	if got, want := picksOn(t, f, phone, g.Slug), ids(ps[0]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("client on another browser sees %v, want %v", got, want)
	}
	if got, want := picksOn(t, f, visitor, g.Slug), ids(ps[1]); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("visitor Anna sees %v, want %v", got, want)
	}
}
