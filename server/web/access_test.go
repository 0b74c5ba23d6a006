package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

// isPhotoBytes reports whether a body carries a photo or an archive.
func isPhotoBytes(resp *http.Response, body []byte) bool {
	ct := resp.Header.Get("Content-Type")
	return bytes.HasPrefix(body, []byte("\xff\xd8\xff")) || bytes.HasPrefix(body, []byte("PK\x03\x04")) ||
		strings.HasPrefix(ct, "image/") || ct == "application/zip"
}

// TestAccess_Matrix: every route × every visitor state × every gallery
// state gives exactly the status of the access model, and no photo bytes
// where access is denied.
func TestAccess_Matrix(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tomorrow := f.clock.Now().Add(24 * time.Hour).Format(time.DateOnly)
	kinds := []string{"public", "pin", "download-pin", "draft", "expired"}
	galleries := map[string]db.Gallery{}
	photos := map[string]db.Photo{}
	for _, k := range kinds {
		in := db.GalleryInput{PIN: new("4826")}
		switch k {
		case "public":
			in.Access = new(db.Public)
		case "pin", "draft", "expired":
			in.Access = new(db.PINAccess)
		case "download-pin":
			in.Access = new(db.DownloadPIN)
		}
		if k == "draft" {
			in.Published = new(false)
		}
		if k == "expired" {
			in.Expires = new(tomorrow)
		}
		g := f.gallery("Gallery "+k, in)
		photos[k] = f.addPhoto(g, testPhotos[0])
		galleries[k], _ = f.store.GalleryByID(ctx, g.ID)
	}
	other := f.gallery("Other", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1111")})
	f.addPhoto(other, testPhotos[1])
	other, _ = f.store.GalleryByID(ctx, other.ID)
	f.clock.Add(3 * 24 * time.Hour) // the "expired" gallery is now past its last day

	states := []string{"none", "forged", "other-gallery", "old-pin", "valid"}
	cookieFor := func(state string, g db.Gallery) *http.Client {
		name := galleryCookie(g.ID)
		switch state {
		case "forged":
			return f.withCookie(name, db.NewToken())
		case "other-gallery":
			return f.withCookie(name, f.session(db.Session{GalleryID: other.ID, PINVersion: other.PINVersion}))
		case "old-pin":
			return f.withCookie(name, f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion - 1}))
		case "valid":
			return f.withCookie(name, f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion}))
		}
		return f.client()
	}
	routes := []string{"page", "photo-page", "thumbnail", "preview", "download", "zip", "favourites-zip", "fav-post", "pin-post"}
	want := func(kind, state, route string) int {
		switch kind {
		case "draft":
			return 404
		case "expired":
			return 410
		}
		if route == "pin-post" {
			return 303
		}
		full := state == "valid" || kind == "public"
		switch route {
		case "page":
			return 200 // the grid, or the PIN form
		case "download", "zip", "favourites-zip":
			if full {
				return 200
			}
			return 403
		default: // photo page and renditions
			if full || kind == "download-pin" {
				return 200
			}
			return 403
		}
	}
	for _, kind := range kinds {
		g := galleries[kind]
		p := photos[kind]
		for _, state := range states {
			for _, route := range routes {
				t.Run(fmt.Sprintf("%s/%s/%s", kind, state, route), func(t *testing.T) {
					c := cookieFor(state, g)
					base := "/g/" + g.Slug
					id := fmt.Sprint(p.ID)
					var resp *http.Response
					var body []byte
					switch route {
					case "page":
						resp, body = f.get(c, base)
					case "photo-page":
						resp, body = f.get(c, base+"/p/"+id)
					case "thumbnail":
						resp, body = f.get(c, base+"/t/"+id)
					case "preview":
						resp, body = f.get(c, base+"/v/"+id)
					case "download":
						resp, body = f.get(c, base+"/d/"+id)
					case "zip":
						resp, body = f.get(c, base+"/zip")
					case "favourites-zip":
						resp, body = f.get(c, base+"/favourites.zip")
					case "fav-post":
						resp, body = f.do(c, "POST", base+"/fav/"+id, url.Values{"on": {"1"}}, nil)
					case "pin-post":
						resp, body = f.do(c, "POST", base+"/pin", url.Values{"pin": {"4826"}}, nil)
					}
					w := want(kind, state, route)
					if resp.StatusCode != w {
						t.Fatalf("status %d, want %d", resp.StatusCode, w)
					}
					denied := w != 200 && w != 303
					if denied && isPhotoBytes(resp, body) {
						t.Fatalf("denied response carries photo bytes (%s)", resp.Header.Get("Content-Type"))
					}
					if route == "page" && kind == "pin" && state != "valid" {
						if bytes.Contains(body, []byte("/t/")) || !bytes.Contains(body, []byte(`autocomplete="one-time-code"`)) {
							t.Fatal("a PIN gallery's page without the PIN must show the PIN form and no photo")
						}
					}
					if w == 200 && (route == "thumbnail" || route == "preview" || route == "download") && !bytes.HasPrefix(body, []byte("\xff\xd8")) {
						t.Fatal("no JPEG served")
					}
					if w == 200 && route == "favourites-zip" && !bytes.HasPrefix(body, []byte("PK\x05\x06")) {
						t.Fatal("no (empty) ZIP served")
					}
					if w == 200 && route == "zip" && !bytes.HasPrefix(body, []byte("PK\x03\x04")) {
						t.Fatal("no ZIP served")
					}
				})
			}
		}
	}
}

// TestAccess_CrossGallery: a session of gallery A never reads a photo of
// gallery B, whatever URL it builds.
func TestAccess_CrossGallery(t *testing.T) {
	f := newFixture(t)
	a := f.gallery("A", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	b := f.gallery("B", db.GalleryInput{Access: new(db.PINAccess), PIN: new("5678")})
	pa := f.addPhoto(a, testPhotos[0])
	pb := f.addPhoto(b, testPhotos[1])
	tokA := f.session(db.Session{GalleryID: a.ID, PINVersion: a.PINVersion})
	c := f.withCookie(galleryCookie(a.ID), tokA)
	// Sanity: A's session reads A's photo.
	if resp, _ := f.get(c, fmt.Sprintf("/g/%s/t/%d", a.Slug, pa.ID)); resp.StatusCode != 200 {
		t.Fatalf("own photo: %d", resp.StatusCode)
	}
	// A's token under B's cookie name too.
	c2 := f.withCookie(galleryCookie(b.ID), tokA)
	c2.Jar.SetCookies(mustURL(f.srv.URL), []*http.Cookie{{Name: galleryCookie(a.ID), Value: tokA, Path: "/"}})
	for _, cl := range []*http.Client{c, c2} {
		for _, path := range []string{
			fmt.Sprintf("/g/%s/t/%d", a.Slug, pb.ID), // B's photo through A's URL
			fmt.Sprintf("/g/%s/v/%d", a.Slug, pb.ID),
			fmt.Sprintf("/g/%s/d/%d", a.Slug, pb.ID),
			fmt.Sprintf("/g/%s/p/%d", a.Slug, pb.ID),
			fmt.Sprintf("/g/%s/t/%d", b.Slug, pb.ID), // B's URL with A's session
			fmt.Sprintf("/g/%s/v/%d", b.Slug, pb.ID),
			fmt.Sprintf("/g/%s/d/%d", b.Slug, pb.ID),
			fmt.Sprintf("/g/%s/zip", b.Slug),
			fmt.Sprintf("/g/%s/t/%d", b.Slug, pa.ID),
		} {
			resp, body := f.get(cl, path)
			if resp.StatusCode != 404 && resp.StatusCode != 403 {
				t.Errorf("%s: status %d, want 403 or 404", path, resp.StatusCode)
			}
			if isPhotoBytes(resp, body) {
				t.Errorf("%s: photo bytes served", path)
			}
		}
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

// TestAccess_PINChangeEndsSessions: a new PIN ends old sessions at their
// next request.
func TestAccess_PINChangeEndsSessions(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("2468")})
	p := f.addPhoto(g, testPhotos[0])
	c := f.client()
	if resp, _ := f.do(c, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"2468"}}, nil); resp.StatusCode != 303 {
		t.Fatalf("right PIN: %d", resp.StatusCode)
	}
	thumb := fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID)
	if resp, _ := f.get(c, thumb); resp.StatusCode != 200 {
		t.Fatalf("with session: %d", resp.StatusCode)
	}
	if _, err := f.store.UpdateGallery(context.Background(), g.Slug, db.GalleryInput{}, true); err != nil {
		t.Fatal(err)
	}
	if resp, _ := f.get(c, thumb); resp.StatusCode != 403 {
		t.Fatalf("after PIN change: %d, want 403", resp.StatusCode)
	}
}

// TestAccess_SubGalleries: a sub-gallery that inherits opens with its
// parent's session; one with its own PIN does not; a child's session opens
// the parent only with navigate-up.
func TestAccess_SubGalleries(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	parent := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1357")})
	inherit := f.gallery("Ceremony", db.GalleryInput{Parent: new(parent.Slug)})
	own := f.gallery("Party", db.GalleryInput{Parent: new(parent.Slug), Access: new(db.PINAccess), PIN: new("9753")})
	up := f.gallery("Reception", db.GalleryInput{Parent: new(parent.Slug), NavigateUp: new(true)})
	for _, g := range []db.Gallery{parent, inherit, own, up} {
		f.addPhoto(g, testPhotos[2])
	}
	parent, _ = f.store.GalleryByID(ctx, parent.ID)
	viewable := func(c *http.Client, g db.Gallery) bool {
		resp, body := f.get(c, "/g/"+g.Slug)
		return resp.StatusCode == 200 && bytes.Contains(body, []byte(`id="grid"`))
	}
	// Parent's PIN typed at the parent.
	c := f.client()
	f.do(c, "POST", "/g/"+parent.Slug+"/pin", url.Values{"pin": {"1357"}}, nil)
	for g, want := range map[db.Gallery]bool{parent: true, inherit: true, up: true, own: false} {
		if got := viewable(c, g); got != want {
			t.Errorf("parent session, %s: viewable %v, want %v", g.Title, got, want)
		}
	}
	// Parent's PIN typed at a child without navigate-up: not the parent.
	c = f.client()
	if resp, _ := f.do(c, "POST", "/g/"+inherit.Slug+"/pin", url.Values{"pin": {"1357"}}, nil); resp.StatusCode != 303 {
		t.Fatalf("child PIN: %d", resp.StatusCode)
	}
	if !viewable(c, inherit) || viewable(c, parent) {
		t.Error("child session without navigate-up: want the child only")
	}
	// With navigate-up: the parent too, and the page links up.
	c = f.client()
	f.do(c, "POST", "/g/"+up.Slug+"/pin", url.Values{"pin": {"1357"}}, nil)
	if !viewable(c, up) || !viewable(c, parent) {
		t.Error("child session with navigate-up: want the child and the parent")
	}
	if _, body := f.get(c, "/g/"+up.Slug); !bytes.Contains(body, []byte(`href="/g/`+parent.Slug+`"`)) {
		t.Error("navigate-up: no link to the parent")
	}
	if _, body := f.get(c, "/g/"+inherit.Slug); bytes.Contains(body, []byte(`class="up"`)) {
		t.Error("no navigate-up: a link to the parent")
	}
	// The child's own PIN opens only the child.
	c = f.client()
	f.do(c, "POST", "/g/"+own.Slug+"/pin", url.Values{"pin": {"9753"}}, nil)
	if !viewable(c, own) || viewable(c, parent) {
		t.Error("own-PIN child session: want the child only")
	}
	// The parent's page lists its children.
	c = f.client()
	f.do(c, "POST", "/g/"+parent.Slug+"/pin", url.Values{"pin": {"1357"}}, nil)
	_, body := f.get(c, "/g/"+parent.Slug)
	for _, k := range []db.Gallery{inherit, own, up} {
		if !bytes.Contains(body, []byte(`href="/g/`+k.Slug+`"`)) {
			t.Errorf("parent page does not list %s", k.Title)
		}
	}
}

// TestAccess_DeletedGallery: a deleted gallery is gone for everyone,
// whatever session they hold.
func TestAccess_DeletedGallery(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Gone", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	p := f.addPhoto(g, testPhotos[0])
	c := f.withCookie(galleryCookie(g.ID), f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion}))
	if resp, _ := f.get(c, fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID)); resp.StatusCode != 200 {
		t.Fatalf("before delete: %d", resp.StatusCode)
	}
	if _, err := f.store.DeleteGallery(context.Background(), g.Slug); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/g/" + g.Slug, fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID), fmt.Sprintf("/g/%s/d/%d", g.Slug, p.ID), "/g/" + g.Slug + "/zip"} {
		resp, body := f.get(c, path)
		if resp.StatusCode != 404 || isPhotoBytes(resp, body) {
			t.Errorf("%s after delete: %d", path, resp.StatusCode)
		}
	}
}

// TestAccess_SlidingSession: a session lasts 30 days after the last visit,
// in the database and in the browser's cookie alike.
func TestAccess_SlidingSession(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("G", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	c := f.client()
	f.do(c, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"1234"}}, nil)
	for range 3 { // 60 days of visits, 20 days apart
		f.clock.Add(20 * 24 * time.Hour)
		resp, body := f.get(c, "/g/"+g.Slug)
		if !bytes.Contains(body, []byte(`id="grid"`)) && !bytes.Contains(body, []byte("no photos")) {
			t.Fatal("session lost while in use")
		}
		var renewed bool
		for _, ck := range resp.Cookies() {
			renewed = renewed || (ck.Name == galleryCookie(g.ID) && ck.MaxAge == int(SessionTTL/time.Second))
		}
		if !renewed {
			t.Fatal("cookie not renewed")
		}
	}
	f.clock.Add(31 * 24 * time.Hour) // a month without visits
	if _, body := f.get(c, "/g/"+g.Slug); !bytes.Contains(body, []byte("one-time-code")) {
		t.Fatal("session still open after 31 idle days")
	}
}
