package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/studio"
)

// cookieValue is the value of the cookie called name that c holds.
func (f *fixture) cookieValue(c *http.Client, name string) string {
	u, _ := url.Parse(f.srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// TestHole_SessionOutlivesPIN replays the report step by step: a session
// opened with A's PIN on its sub-gallery C must never open B, whatever is
// moved, deleted and renewed, once B's PIN was not typed.
func TestHole_SessionOutlivesPIN(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	b := f.gallery("B", db.GalleryInput{Access: new(db.PINAccess), PIN: new("2222")})
	a := f.gallery("A", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1111")})
	c := f.gallery("C", db.GalleryInput{Parent: new(a.Slug), NavigateUp: new(true)})
	pb := f.addPhoto(b, testPhotos[0])
	f.addPhoto(c, testPhotos[1])
	a, err := f.store.UpdateGallery(ctx, a.Slug, db.GalleryInput{PIN: new("3333")}, false)
	if err != nil {
		t.Fatal(err)
	}
	visitor := f.client()
	if resp, _ := f.do(visitor, "POST", "/g/"+c.Slug+"/pin", url.Values{"pin": {"3333"}}, nil); resp.StatusCode != 303 {
		t.Fatalf("A's PIN on C: %d", resp.StatusCode)
	}
	token := f.cookieValue(visitor, galleryCookie(a.ID))
	if token == "" {
		t.Fatal("no session cookie after the right PIN")
	}
	if resp, _ := f.get(visitor, "/g/"+c.Slug); resp.StatusCode != 200 {
		t.Fatalf("C with A's PIN: %d", resp.StatusCode)
	}
	if _, err := f.store.UpdateGallery(ctx, c.Slug, db.GalleryInput{Parent: new(b.Slug)}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.DeleteGallery(ctx, a.Slug); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.UpdateGallery(ctx, b.Slug, db.GalleryInput{}, true); err != nil {
		t.Fatal(err)
	}
	// The old token under B's cookie name, and under C's.
	for _, name := range []string{galleryCookie(b.ID), galleryCookie(c.ID)} {
		old := f.withCookie(name, token)
		for _, u := range []string{"/g/" + b.Slug, fmt.Sprintf("/g/%s/t/%d", b.Slug, pb.ID), "/g/" + b.Slug + "/zip", "/g/" + c.Slug} {
			resp, body := f.get(old, u)
			if resp.StatusCode == 200 && (bytes.Contains(body, []byte(`id="grid"`)) || !isHTML(resp)) {
				t.Errorf("old session as %s opens %s without B's PIN", name, u)
			}
		}
	}
}

// TestHole_IDsReused: a gallery made after another was deleted gets a new
// id, so it inherits nothing of the old one: not its throttle records.
func TestHole_IDsReused(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	old := f.gallery("Old", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	hdr := http.Header{"X-Forwarded-For": {"203.0.113.9"}}
	for range FreeTries + 1 {
		f.do(f.client(), "POST", "/g/"+old.Slug+"/pin", url.Values{"pin": {"0000"}}, hdr)
	}
	if resp, _ := f.do(f.client(), "POST", "/g/"+old.Slug+"/pin", url.Values{"pin": {"0000"}}, hdr); resp.StatusCode != 429 {
		t.Fatalf("the old gallery is not throttled: %d", resp.StatusCode)
	}
	if _, err := f.store.DeleteGallery(ctx, old.Slug); err != nil {
		t.Fatal(err)
	}
	fresh := f.gallery("Fresh", db.GalleryInput{Access: new(db.PINAccess), PIN: new("5678")})
	if fresh.ID == old.ID {
		t.Errorf("the new gallery has the deleted one's id %d", old.ID)
	}
	if resp, _ := f.do(f.client(), "POST", "/g/"+fresh.Slug+"/pin", url.Values{"pin": {"0000"}}, hdr); resp.StatusCode != 403 {
		t.Errorf("first wrong PIN on a new gallery: %d, want 403", resp.StatusCode)
	}
	// The same for the other tables a delete can empty at the top.
	cl, _ := f.store.CreateClient(ctx, db.ClientInput{Name: new("Ann")})
	if err := f.store.DeleteClient(ctx, cl.ID); err != nil {
		t.Fatal(err)
	}
	if cl2, _ := f.store.CreateClient(ctx, db.ClientInput{Name: new("Ben")}); cl2.ID == cl.ID {
		t.Errorf("the new client login has the deleted one's id %d", cl.ID)
	}
}

// TestHole_NewCodeEndsSessions: changing a client's access code, as the
// TUI's editor does, ends what the old code opened at the next request.
func TestHole_NewCodeEndsSessions(t *testing.T) {
	f := newClientFixture(t)
	ctx := context.Background()
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	cl, _ := f.store.CreateClient(ctx, db.ClientInput{Name: new("Ann")})
	if err := f.store.Grant(ctx, cl.ID, g.Slug); err != nil {
		t.Fatal(err)
	}
	c, resp := f.login(cl.Code)
	if resp.StatusCode != 303 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	if resp, _ := f.get(c, "/g/"+g.Slug); resp.StatusCode != 200 {
		t.Fatalf("gallery with the login: %d", resp.StatusCode)
	}
	code := "NEWC-ZDE2-3456"
	if _, err := studio.SaveClient(ctx, f.store, cl.ID, db.ClientInput{Code: &code}, []string{g.Slug}); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get(c, "/g/"+g.Slug); bytes.Contains(body, []byte(`id="grid"`)) {
		t.Error("the old code's session still opens the gallery")
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if resp, _ := f.get(c, "/me"); resp.StatusCode != 303 {
		t.Errorf("the old code's session still shows /me: %d", resp.StatusCode)
	}
	if c2, resp := f.login(code); resp.StatusCode != 303 {
		t.Errorf("the new code: %d", resp.StatusCode)
	} else if resp, _ := f.get(c2, "/g/"+g.Slug); resp.StatusCode != 200 {
		t.Errorf("gallery with the new code: %d", resp.StatusCode)
	}
}

func isHTML(resp *http.Response) bool {
	return strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html")
}
