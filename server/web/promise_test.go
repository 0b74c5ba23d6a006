package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/studio"
)

// TestPromise_SetPageSaysWhenItCloses: a set's page says the day it closes,
// which is its parent's last day when that comes first (as gallery show
// says), not the set's own later day or nothing; the day after, it is gone.
func TestPromise_SetPageSaysWhenItCloses(t *testing.T) {
	f := newFixture(t)
	day := func(n int) string { return f.clock.Now().AddDate(0, 0, n).Format(time.DateOnly) }
	top := f.gallery("Wedding", db.GalleryInput{Access: new(db.Public), Expires: new(day(3))})
	later := f.gallery("Dinner", db.GalleryInput{Parent: new(top.Slug), Expires: new(day(10))})
	none := f.gallery("Party", db.GalleryInput{Parent: new(top.Slug)})
	f.addPhoto(later, testPhotos[0])
	f.addPhoto(none, testPhotos[1])
	parent, err := f.store.GalleryByID(t.Context(), top.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, set := range []db.Gallery{later, none} {
		said := studio.Decide(set, &parent, studio.Visitor{}, f.clock.Now()).ExpiresOn()
		want := "available until " + prettyDate(said)
		if said != day(3) {
			t.Fatalf("%s: the decision says it closes after %s, want %s", set.Title, said, day(3))
		}
		if _, page := f.get(f.client(), "/g/"+set.Slug); !bytes.Contains(page, []byte(want)) {
			t.Errorf("%s's page does not say %q: %s", set.Title, want, between(page, `class="meta"`, "</p>"))
		}
	}
	f.clock.Add(4 * 24 * time.Hour)
	for _, set := range []db.Gallery{later, none} {
		if resp, _ := f.get(f.client(), "/g/"+set.Slug); resp.StatusCode != 410 {
			t.Errorf("%s after its parent's last day: %d, want 410", set.Title, resp.StatusCode)
		}
	}
}

// TestPromise_CollectionOfferCountsWhatItLeadsTo: the whole collection's
// offer counts the photos of the ZIP its link leads to. Where it leads to
// the top's PIN form first, that is the ZIP the top's PIN opens: with the
// top's photos and those of the sets that take its PIN, as a download-PIN
// top's offer already counts them.
// The top's PIN to look or to download, its own downloads on or off.
func TestPromise_CollectionOfferCountsWhatItLeadsTo(t *testing.T) {
	for _, a := range []db.Access{db.PINAccess, db.DownloadPIN} {
		for _, dl := range []db.Downloads{db.DownloadsOriginal, db.DownloadsOff} {
			t.Run(string(a)+"/"+string(dl), func(t *testing.T) { collectionOfferCounts(t, a, dl) })
		}
	}
}

func collectionOfferCounts(t *testing.T, topAccess db.Access, topDownloads db.Downloads) {
	f := newClientFixture(t)
	top := f.gallery("Wedding", db.GalleryInput{Access: &topAccess, PIN: new("2468"), Downloads: &topDownloads})
	dinner := f.gallery("Dinner", db.GalleryInput{Parent: new(top.Slug)})
	party := f.gallery("Party", db.GalleryInput{Parent: new(top.Slug), Access: new(db.Public)})
	own := f.gallery("Portraits", db.GalleryInput{Parent: new(top.Slug), Access: new(db.PINAccess), PIN: new("1357")})
	f.addPhoto(top, testPhotos[0])
	f.addPhoto(top, testPhotos[1])
	f.addPhoto(dinner, testPhotos[2])
	f.addPhoto(party, testPhotos[3])
	f.addPhoto(own, testPhotos[4])
	cl, err := f.store.CreateClient(t.Context(), db.ClientInput{Name: new("Ann")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Grant(t.Context(), cl.ID, own.Slug); err != nil {
		t.Fatal(err)
	}
	login, _ := f.login(cl.Code)
	pinOnDinner := f.client()
	f.do(pinOnDinner, "POST", "/g/"+dinner.Slug+"/pin", url.Values{"pin": {"2468"}}, nil)

	for _, tc := range []struct {
		who  string
		c    *http.Client
		page string
	}{
		{"anonymous on the public set", f.client(), party.Slug},
		{"the top's PIN typed on a set", pinOnDinner, dinner.Slug},
		{"a login granted a set with its own PIN", login, own.Slug},
	} {
		_, page := f.get(tc.c, "/g/"+tc.page)
		if topAccess == db.PINAccess && topDownloads != db.DownloadsOff {
			// The top's photos, in the ZIP, are behind its PIN to look at
			// them: the offer tells no count or size before it, as the PIN
			// page tells nothing but the title; after it, it counts.
			if offer := between(page, "Whole collection", "</a>"); offer != "Whole collection (PIN needed)" {
				t.Errorf("%s: before the top's PIN the offer reads %q", tc.who, offer)
			}
			f.do(tc.c, "POST", "/g/"+top.Slug+"/pin", url.Values{"pin": {"2468"}}, nil)
			_, page = f.get(tc.c, "/g/"+tc.page)
		}
		offer := between(page, "Whole collection (", " photo")
		n, err := strconv.Atoi(strings.TrimPrefix(offer, "Whole collection ("))
		if err != nil {
			t.Errorf("%s: no count in the offer %q", tc.who, between(page, "Whole collection", "</a>"))
			continue
		}
		if resp, _ := f.get(tc.c, "/g/"+top.Slug+"/collection.zip"); resp.StatusCode == http.StatusForbidden {
			f.do(tc.c, "POST", "/g/"+top.Slug+"/pin", url.Values{"pin": {"2468"}, "next": {"/g/" + top.Slug + "/collection.zip"}}, nil)
		}
		if names := f.zipNames(tc.c, "/g/"+top.Slug+"/collection.zip"); len(names) != n {
			t.Errorf("%s: the offer counts %d photos, its link leads to a ZIP of %d: %v", tc.who, n, len(names), names)
		}
	}
}

// TestPromise_SetWithItsOwnPickLimit: a set with a pick limit of its own
// is held to that one, and its picks do not count toward its parent's
// limit, which holds the parent and its other sets: no page counts more
// picks than its limit ("5 of 2").
func TestPromise_SetWithItsOwnPickLimit(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	parent := f.gallery("Wedding", db.GalleryInput{Access: new(db.Public)})
	own := f.gallery("Portraits", db.GalleryInput{Parent: new(parent.Slug)})
	plain := f.gallery("Dinner", db.GalleryInput{Parent: new(parent.Slug)})
	var pp, po, pd []db.Photo
	for i := range 3 {
		pp = append(pp, f.addPhoto(parent, testPhotos[i]))
		po = append(po, f.addPhoto(own, testPhotos[i]))
		pd = append(pd, f.addPhoto(plain, testPhotos[i]))
	}
	if err := f.store.SetMaxPicks(ctx, parent.ID, 2); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetMaxPicks(ctx, own.ID, 3); err != nil {
		t.Fatal(err)
	}
	c := f.client()
	fav := func(g db.Gallery, p db.Photo) int {
		resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, p.ID), url.Values{"on": {"1"}, "name": {"Lea"}}, nil)
		return resp.StatusCode
	}
	for _, p := range po {
		if code := fav(own, p); code != 303 {
			t.Fatalf("a pick in the set under its own limit of 3: %d", code)
		}
	}
	if code := fav(own, po[0]); code != 303 {
		t.Fatalf("a pick again: %d", code)
	}
	for _, p := range pp[:2] {
		if code := fav(parent, p); code != 303 {
			t.Errorf("a pick in the parent under its limit of 2, the set's picks apart: %d", code)
		}
	}
	if code := fav(plain, pd[0]); code != http.StatusConflict {
		t.Errorf("a third pick under the parent's limit, in a set without its own: %d, want 409", code)
	}
	for _, tc := range []struct {
		g    db.Gallery
		want string
	}{{parent, "2 of 2"}, {plain, "2 of 2"}, {own, "3 of 3"}} {
		if _, body := f.get(c, "/g/"+tc.g.Slug); !bytes.Contains(body, []byte(`<span id="fav-count">`+tc.want+`</span>`)) {
			t.Errorf("%s counts %s, want %s", tc.g.Title, between(body, `<span id="fav-count">`, "</span>"), tc.want)
		}
	}
}
