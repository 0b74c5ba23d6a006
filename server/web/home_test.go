package web

import (
	"bytes"
	"testing"

	"pinhole/db"
)

// TestHome: the studio's name, the login form, and only the galleries the
// photographer listed that are public, published and current.
func TestHome(t *testing.T) {
	f := newClientFixture(t)
	f.store.SetSetting(t.Context(), db.SettingStudioName, "Lumen Studio")
	listed := f.gallery("Portfolio", db.GalleryInput{Access: new(db.Public), Listed: new(true)})
	f.addPhoto(listed, testPhotos[0])
	pin := f.gallery("Private", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234"), Listed: new(true)})
	draft := f.gallery("Draft", db.GalleryInput{Access: new(db.Public), Listed: new(true), Published: new(false)})
	unlisted := f.gallery("Unlisted", db.GalleryInput{Access: new(db.Public)})
	resp, body := f.get(f.client(), "/")
	if resp.StatusCode != 200 || !bytes.Contains(body, []byte("Lumen Studio")) || !bytes.Contains(body, []byte(`action="/login"`)) {
		t.Fatalf("home: %d", resp.StatusCode)
	}
	if !bytes.Contains(body, []byte(`href="/g/`+listed.Slug+`"`)) {
		t.Error("listed gallery missing")
	}
	for _, g := range []db.Gallery{pin, draft, unlisted} {
		if bytes.Contains(body, []byte(g.Slug)) {
			t.Errorf("%s shown on the home page", g.Title)
		}
	}
	if resp.Header.Get("X-Robots-Tag") != "" {
		t.Error("the home page is a portfolio: it may be indexed")
	}
}
