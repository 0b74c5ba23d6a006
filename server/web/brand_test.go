package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/studio"
)

// setLook gives the studio a logo, an accent colour and contact details.
func (f *fixture) setLook() db.Logo {
	f.t.Helper()
	ctx := context.Background()
	for k, v := range map[string]string{
		db.SettingStudioName:   "Lumen Studio",
		db.SettingLogo:         "../../testdata/photos/hopper.png",
		db.SettingAccent:       "#2f5d50",
		db.SettingContactEmail: "lena@example.com",
		db.SettingContactPhone: "+44 20 7946 0958",
		db.SettingContactWeb:   "https://lumen.example.com/",
	} {
		if err := studio.SetSetting(ctx, f.store, f.lib, k, v); err != nil {
			f.t.Fatal(err)
		}
	}
	v, _ := f.store.Setting(ctx, db.SettingLogo)
	l, ok := db.ParseLogo(v)
	if !ok {
		f.t.Fatalf("logo setting %q", v)
	}
	return l
}

// contactLinks are what a page shows to reach the photographer.
var contactLinks = []string{`href="mailto:lena@example.com"`, `href="tel:&#43;442079460958"`, `href="https://lumen.example.com/"`, ">lumen.example.com<"}

func hasContact(t *testing.T, what string, body []byte) {
	t.Helper()
	for _, l := range contactLinks {
		if !bytes.Contains(body, []byte(l)) {
			t.Errorf("%s: no %s in\n%s", what, l, body)
		}
	}
}

// TestBrand_ContactOnClosedPages: the expired page says it once and tells
// how to reach the photographer, as do the not-found, unpublished and
// throttled pages; every page's footer carries the contact details.
func TestBrand_ContactOnClosedPages(t *testing.T) {
	f := newClientFixture(t)
	f.setLook()
	expires := f.clock.Now().AddDate(0, 0, 1).Format(time.DateOnly)
	old := f.gallery("Old wedding", db.GalleryInput{Access: new(db.Public), Expires: &expires})
	draft := f.gallery("Draft", db.GalleryInput{Access: new(db.Public), Published: new(false)})
	locked := f.gallery("Locked", db.GalleryInput{PIN: new("482915")})
	f.clock.Add(3 * 24 * time.Hour)
	c := f.client()

	resp, body := f.get(c, "/g/"+old.Slug)
	if resp.StatusCode != http.StatusGone {
		t.Fatalf("expired: %d", resp.StatusCode)
	}
	if n := bytes.Count(body, []byte("expired")); n != 2 { // the title and the heading, not the message again
		t.Errorf("expired page says \"expired\" %d times:\n%s", n, body)
	}
	hasContact(t, "expired", regexp.MustCompile(`(?s)<main>.*</main>`).Find(body))

	for _, p := range []string{"/g/nope-abcdef", "/g/" + draft.Slug} {
		resp, body := f.get(c, p)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
		hasContact(t, p, regexp.MustCompile(`(?s)<main>.*</main>`).Find(body))
	}

	var throttled []byte
	for range FreeTries + 2 {
		resp, body = f.do(c, "POST", "/g/"+locked.Slug+"/pin", url.Values{"pin": {"000000"}}, nil)
		if resp.StatusCode == http.StatusTooManyRequests {
			throttled = body
			break
		}
	}
	if throttled == nil {
		t.Fatal("wrong PINs were never throttled")
	}
	hasContact(t, "throttled PIN", regexp.MustCompile(`(?s)<main>.*</main>`).Find(throttled))

	for range FreeTries + 2 {
		resp, body = f.do(c, "POST", "/login", url.Values{"code": {"WRONGWRONG"}}, nil)
		if resp.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("wrong codes were never throttled: %d", resp.StatusCode)
	}
	hasContact(t, "throttled login", regexp.MustCompile(`(?s)<main>.*</main>`).Find(body))

	_, body = f.get(f.client(), "/")
	hasContact(t, "home footer", regexp.MustCompile(`(?s)<footer.*</footer>`).Find(body))
}

// TestBrand_LogoAndAccent: the header shows the logo, served only under
// its own hash; the accent colour comes as a style sheet of our own, so the
// CSP stays strict.
func TestBrand_LogoAndAccent(t *testing.T) {
	f := newFixture(t)
	l := f.setLook()
	g := f.gallery("Lake", db.GalleryInput{Access: new(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	c := f.client()
	for _, path := range []string{"/", "/g/" + g.Slug, "/g/nope-abcdef"} {
		resp, body := f.get(c, path)
		if !bytes.Contains(body, []byte(`<a class="studio" href="/"><img src="/logo/`+l.SHA256+`.jpg" width="128" height="128" alt="Lumen Studio">`)) {
			t.Errorf("%s: no logo in the header:\n%s", path, body)
		}
		if !bytes.Contains(body, []byte(`<link rel="stylesheet" href="/theme/accent-2f5d50.css">`)) {
			t.Errorf("%s: no accent style sheet", path)
		}
		if bytes.Contains(body, []byte("style=")) || bytes.Contains(body, []byte("<style")) {
			t.Errorf("%s: inline style", path)
		}
		if got := resp.Header.Get("Content-Security-Policy"); got != csp {
			t.Errorf("%s: CSP %q", path, got)
		}
	}
	resp, body := f.get(c, "/logo/"+l.SHA256+".jpg")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || len(body) < 1000 {
		t.Fatalf("logo: %d %s, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
	// Another picture in the library is not a logo.
	if resp, _ := f.get(c, "/logo/"+p.SHA256+".jpg"); resp.StatusCode != 404 {
		t.Errorf("a photo served as the logo: %d", resp.StatusCode)
	}
	resp, body = f.get(c, "/theme/accent-2f5d50.css")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") || !bytes.Contains(body, []byte("--accent: #2f5d50")) {
		t.Fatalf("theme: %d %q", resp.StatusCode, body)
	}
	for _, bad := range []string{"/theme/accent-2f5d5.css", "/theme/accent-red;}x.css", "/theme/site.css"} {
		if resp, _ := f.get(c, bad); resp.StatusCode != 404 {
			t.Errorf("%s: %d", bad, resp.StatusCode)
		}
	}

	// Without a look set: the name in the header, no theme, no contact.
	f2 := newFixture(t)
	_, body = f2.get(f2.client(), "/")
	if !bytes.Contains(body, []byte(`<a class="studio" href="/">Pinhole</a>`)) || bytes.Contains(body, []byte("/theme/")) || bytes.Contains(body, []byte(`class="contact"`)) {
		t.Errorf("plain studio:\n%s", body)
	}
}

// TestBrand_Cover: the chosen cover is a hero above the photos once they
// may be seen; on the PIN page only when the photographer opts in, and
// then only that photo loads without the PIN. No page offers it to link
// previews.
func TestBrand_Cover(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	g := f.gallery("Wedding", db.GalleryInput{PIN: new("482915")})
	var photos []db.Photo
	for _, p := range testPhotos[:3] {
		photos = append(photos, f.addPhoto(g, p))
	}
	cover := photos[1]
	pub := f.gallery("Portfolio", db.GalleryInput{Access: new(db.Public)})
	pubPhoto := f.addPhoto(pub, testPhotos[3])
	c := f.client()

	// No cover chosen: no hero anywhere.
	if _, body := f.get(c, "/g/"+pub.Slug); bytes.Contains(body, []byte(`class="hero"`)) {
		t.Error("hero without a chosen cover")
	}
	if _, err := f.store.UpdateGallery(ctx, g.Slug, db.GalleryInput{CoverID: &cover.ID}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpdateGallery(ctx, pub.Slug, db.GalleryInput{CoverID: &pubPhoto.ID}, false); err != nil {
		t.Fatal(err)
	}
	heroOf := func(slug string, p db.Photo) string {
		return fmt.Sprintf(`<figure class="hero"><img src="/g/%s/v/%d?v=%s"`, slug, p.ID, p.SHA256[:12])
	}
	if _, body := f.get(c, "/g/"+pub.Slug); !bytes.Contains(body, []byte(heroOf(pub.Slug, pubPhoto))) {
		t.Errorf("public gallery: no hero:\n%s", body)
	}

	// The PIN page, not opted in: no picture at all, and the cover is closed.
	resp, body := f.get(c, "/g/"+g.Slug)
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte(`id="pin"`)) {
		t.Fatalf("PIN page: %d", resp.StatusCode)
	}
	if bytes.Contains(body, []byte("<img")) || bytes.Contains(body, []byte(`class="hero"`)) {
		t.Errorf("PIN page shows a picture without opting in:\n%s", body)
	}
	if resp, _ := f.get(c, "/g/"+g.Slug+"/cover"); resp.StatusCode != 403 {
		t.Errorf("cover without PIN, not opted in: %d", resp.StatusCode)
	}

	// Opted in: the hero comes from the cover route, which serves that one
	// photo and no other.
	if _, err := f.store.UpdateGallery(ctx, g.Slug, db.GalleryInput{CoverOnPIN: new(true)}, false); err != nil {
		t.Fatal(err)
	}
	_, body = f.get(c, "/g/"+g.Slug)
	want := fmt.Sprintf(`<figure class="hero"><img src="/g/%s/cover?v=%s" width=`, g.Slug, cover.SHA256[:12])
	if !bytes.Contains(body, []byte(want)) || !bytes.Contains(body, []byte(`class="narrow with-hero"`)) {
		t.Errorf("PIN page opted in: no hero %s in\n%s", want, body)
	}
	resp, img := f.get(c, "/g/"+g.Slug+"/cover")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" || len(img) < 1000 {
		t.Fatalf("cover on the PIN page: %d", resp.StatusCode)
	}
	for _, p := range photos {
		for _, k := range []string{"t", "v", "d"} {
			if resp, _ := f.get(c, fmt.Sprintf("/g/%s/%s/%d", g.Slug, k, p.ID)); resp.StatusCode == 200 {
				t.Errorf("photo %d (%s) served without the PIN", p.ID, k)
			}
		}
	}

	// After the PIN: the hero from the photo's own renditions.
	resp, _ = f.do(c, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"482915"}}, nil)
	if resp.StatusCode != 303 {
		t.Fatalf("PIN: %d", resp.StatusCode)
	}
	_, body = f.get(c, "/g/"+g.Slug)
	if !bytes.Contains(body, []byte(heroOf(g.Slug, cover))) {
		t.Errorf("after the PIN: no hero:\n%s", body)
	}
	if _, body := f.get(c, "/g/"+g.Slug+"?fav=1"); bytes.Contains(body, []byte(`class="hero"`)) {
		t.Error("hero above the favourites")
	}

	// No link-preview metadata on any page.
	for _, p := range []string{"/", "/g/" + g.Slug, "/g/" + pub.Slug, "/g/" + pub.Slug + fmt.Sprintf("/p/%d", pubPhoto.ID)} {
		_, body := f.get(f.client(), p)
		for _, meta := range []string{"og:", "twitter:", `rel="image_src"`, `itemprop="image"`} {
			if bytes.Contains(body, []byte(meta)) {
				t.Errorf("%s offers %s to link previews", p, meta)
			}
		}
	}
}

// TestBrand_ClientFindsTheirWay: a logged-in client sees "My galleries" and
// "Log out" on every page, and the home page knows them; others see no such
// links.
func TestBrand_ClientFindsTheirWay(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	mine := f.gallery("Anna & Ben", db.GalleryInput{PIN: new("482915")})
	p := f.addPhoto(mine, testPhotos[0])
	other := f.gallery("Open day", db.GalleryInput{Access: new(db.Public)})
	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna Smith"), Code: new("K7QP2MXD9RTW")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Grant(ctx, cl.ID, mine.Slug); err != nil {
		t.Fatal(err)
	}
	account := regexp.MustCompile(`<nav class="account"[^>]*><a href="/me">My galleries</a><form method="post" action="/logout"><button type="submit" class="quiet">Log out</button></form></nav>`)

	anon := f.client()
	for _, path := range []string{"/", "/g/" + other.Slug, "/g/" + mine.Slug} {
		if _, body := f.get(anon, path); bytes.Contains(body, []byte("My galleries")) {
			t.Errorf("%s: account links without a login", path)
		}
	}

	c, resp := f.login("K7QP2MXD9RTW")
	if resp.StatusCode != 303 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	for _, path := range []string{"/", "/me", "/g/" + mine.Slug, fmt.Sprintf("/g/%s/p/%d", mine.Slug, p.ID), "/g/" + other.Slug, "/g/nope-abcdef"} {
		_, body := f.get(c, path)
		if !account.Match(body) {
			t.Errorf("%s: no My galleries / Log out for a logged-in client:\n%s", path, body)
		}
	}
	_, body := f.get(c, "/")
	if bytes.Contains(body, []byte(`action="/login"`)) || !bytes.Contains(body, []byte("Anna Smith")) || !bytes.Contains(body, []byte(`href="/me"`)) {
		t.Errorf("home page for a logged-in client:\n%s", body)
	}
	f.do(c, "POST", "/logout", url.Values{}, nil)
	if _, body := f.get(c, "/"); !bytes.Contains(body, []byte(`action="/login"`)) || bytes.Contains(body, []byte("My galleries")) {
		t.Errorf("home page after logout:\n%s", body)
	}
}

// TestBrand_Welcome: the home page welcomes a first-time visitor, and
// welcomes back one who has been here (home page seen, gallery opened).
func TestBrand_Welcome(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Open day", db.GalleryInput{Access: new(db.Public)})
	c := f.client()
	_, body := f.get(c, "/")
	if bytes.Contains(body, []byte("Welcome back")) || !bytes.Contains(body, []byte("Welcome.")) {
		t.Errorf("first visit:\n%s", body)
	}
	if _, body = f.get(c, "/"); !bytes.Contains(body, []byte("Welcome back")) {
		t.Errorf("second visit:\n%s", body)
	}
	c2 := f.client()
	f.get(c2, "/g/"+g.Slug)
	if _, body = f.get(c2, "/"); !bytes.Contains(body, []byte("Welcome back")) {
		t.Errorf("after opening a gallery:\n%s", body)
	}
}

// TestMe_SetsUnderTheirParent: /me lists what the login opens (as the
// access decision says), each collection once with its sets under it, and
// counts collections, not sets; a set granted without its parent stands on
// its own; closed sets are left out.
func TestMe_SetsUnderTheirParent(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	wedding := f.gallery("Smith wedding", db.GalleryInput{PIN: new("482915")})
	f.addPhoto(wedding, testPhotos[0])
	ceremony := f.gallery("Ceremony", db.GalleryInput{Parent: &wedding.Slug})
	f.addPhoto(ceremony, testPhotos[1])
	f.addPhoto(ceremony, testPhotos[2])
	party := f.gallery("Party", db.GalleryInput{Parent: &wedding.Slug})
	f.addPhoto(party, testPhotos[3])
	f.gallery("Outtakes", db.GalleryInput{Parent: &wedding.Slug, Published: new(false)})
	engagement := f.gallery("Engagement", db.GalleryInput{PIN: new("111111")})
	studioDay := f.gallery("Studio day", db.GalleryInput{PIN: new("222222")})
	portraits := f.gallery("Portraits", db.GalleryInput{Parent: &studioDay.Slug})
	f.addPhoto(portraits, testPhotos[4])
	f.gallery("Not granted", db.GalleryInput{PIN: new("333333")})
	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna Smith"), Code: new("K7QP2MXD9RTW")})
	if err != nil {
		t.Fatal(err)
	}
	// The parent and one of its sets are both granted: the set still shows once, under it.
	if err := f.store.Grant(ctx, cl.ID, wedding.Slug, party.Slug, engagement.Slug, portraits.Slug); err != nil {
		t.Fatal(err)
	}
	c, _ := f.login("K7QP2MXD9RTW")
	resp, body := f.get(c, "/me")
	if resp.StatusCode != 200 {
		t.Fatalf("/me: %d", resp.StatusCode)
	}
	if !bytes.Contains(body, []byte("3 galleries shared with you")) {
		t.Errorf("/me count:\n%s", body)
	}
	card := regexp.MustCompile(`<span class="card-title">([^<]*)</span>`)
	var tops []string
	for _, m := range card.FindAllSubmatch(body, -1) {
		tops = append(tops, string(m[1]))
	}
	if want := []string{"Portraits", "Engagement", "Smith wedding"}; fmt.Sprint(tops) != fmt.Sprint(want) {
		t.Errorf("cards %q, want %q (newest first, sets not on their own)", tops, want)
	}
	sets := regexp.MustCompile(`(?s)<span class="card-title">Smith wedding</span><span class="card-meta">1 photo · 2 sets</span>.*?<ul class="card-sets" aria-label="Sets"><li><a href="/g/` +
		ceremony.Slug + `">Ceremony</a> <span class="card-meta">2 photos</span></li><li><a href="/g/` + party.Slug + `">Party</a> <span class="card-meta">1 photo</span></li></ul>`)
	if !sets.Match(body) {
		t.Errorf("the wedding's sets are not under it:\n%s", body)
	}
	if bytes.Contains(body, []byte("Outtakes")) || bytes.Contains(body, []byte("Not granted")) || bytes.Contains(body, []byte("Studio day")) {
		t.Errorf("/me shows what the login does not open:\n%s", body)
	}
	// Every set listed opens for the login, as the decision said.
	for _, g := range []db.Gallery{ceremony, party, portraits} {
		if resp, body := f.get(c, "/g/"+g.Slug); resp.StatusCode != 200 || !bytes.Contains(body, []byte(`id="grid"`)) {
			t.Errorf("%s from /me does not open: %d", g.Title, resp.StatusCode)
		}
	}
}
