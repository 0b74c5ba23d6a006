package web

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
)

// TestReads_OtherProcess: with the access reads cached, a change made by
// another process on the same SQLite file (here a second store, with its
// own connections, as the command line would open) takes effect at the
// very next request; so does an expiry reached by the clock alone.
func TestReads_OtherProcess(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name   string
		client bool // a client login's session instead of a PIN session
		change func(t *testing.T, f *fixture, other *db.Store, g db.Gallery, p db.Photo, cl db.Client)
		want   int
	}{
		{"new PIN", false, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, _ db.Photo, _ db.Client) {
			if _, err := o.UpdateGallery(ctx, g.Slug, db.GalleryInput{}, true); err != nil {
				t.Fatal(err)
			}
		}, 403},
		{"draft", false, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, _ db.Photo, _ db.Client) {
			if _, err := o.UpdateGallery(ctx, g.Slug, db.GalleryInput{Published: new(false)}, false); err != nil {
				t.Fatal(err)
			}
		}, 404},
		{"session expired", false, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, _ db.Photo, _ db.Client) {
			f.clock.Add(SessionTTL + time.Minute) // no commit: only the clock moves
		}, 403},
		{"expiry reached", false, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, _ db.Photo, _ db.Client) {
			day := f.clock.Now().Format(time.DateOnly)
			if _, err := o.UpdateGallery(ctx, g.Slug, db.GalleryInput{Expires: &day}, false); err != nil {
				t.Fatal(err)
			}
			if resp, _ := f.get(f.client(), "/g/"+g.Slug); resp.StatusCode == 410 {
				t.Fatal("expired a day early")
			}
			f.clock.Add(48 * time.Hour) // no commit: only the clock moves
		}, 410},
		{"photo deleted", false, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, p db.Photo, _ db.Client) {
			if _, err := o.DeletePhoto(ctx, g.ID, p.ID); err != nil {
				t.Fatal(err)
			}
		}, 404},
		{"gallery deleted", false, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, _ db.Photo, _ db.Client) {
			if _, err := o.DeleteGallery(ctx, g.Slug); err != nil {
				t.Fatal(err)
			}
		}, 404},
		{"grant revoked", true, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, _ db.Photo, cl db.Client) {
			if err := o.Revoke(ctx, cl.ID, g.Slug); err != nil {
				t.Fatal(err)
			}
		}, 403},
		{"client deleted", true, func(t *testing.T, f *fixture, o *db.Store, g db.Gallery, _ db.Photo, cl db.Client) {
			if err := o.DeleteClient(ctx, cl.ID); err != nil {
				t.Fatal(err)
			}
		}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			g := f.gallery("Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("2468")})
			p := f.addPhoto(g, testPhotos[0])
			cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Ada")})
			if err != nil {
				t.Fatal(err)
			}
			if err := f.store.Grant(ctx, cl.ID, g.Slug); err != nil {
				t.Fatal(err)
			}
			c := f.withCookie(galleryCookie(g.ID), f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion}))
			if tt.client {
				c = f.withCookie(clientCookie, f.session(db.Session{ClientID: cl.ID}))
			}
			other := dbtest.OpenAt(t, filepath.Join(f.dir, "pinhole.db"), f.clock)

			thumb := fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID)
			for range 3 { // the second and third come from the cache
				if resp, _ := f.get(c, thumb); resp.StatusCode != 200 {
					t.Fatalf("before: %d, want 200", resp.StatusCode)
				}
			}
			tt.change(t, f, other, g, p, cl)
			if resp, _ := f.get(c, thumb); resp.StatusCode != tt.want {
				t.Fatalf("right after: %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}

// TestReads_PhotoList: a gallery's photo list is remembered too, and a
// photo another process adds or deletes shows on the very next gallery
// page, photo page and ZIP.
func TestReads_PhotoList(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsOriginal)})
	p1 := f.addPhotoNamed(g, testPhotos[0], "first.jpg")
	p2 := f.addPhotoNamed(g, testPhotos[1], "second.jpg")
	other, err := db.Open(ctx, filepath.Join(f.dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	c := f.client()
	page := "/g/" + g.Slug
	for range 2 { // the second comes from the cache
		if _, body := f.get(c, page); !bytes.Contains(body, []byte("second.jpg")) {
			t.Fatal("the page does not show the second photo")
		}
		if got := f.zipNames(c, page+"/zip"); len(got) != 2 {
			t.Fatalf("zip before: %v", got)
		}
	}
	if _, err := other.DeletePhoto(ctx, g.ID, p2.ID); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get(c, page); bytes.Contains(body, []byte("second.jpg")) || !bytes.Contains(body, []byte("first.jpg")) {
		t.Error("a photo deleted by another process still shows on the page")
	}
	if got := f.zipNames(c, page+"/zip"); len(got) != 1 || got[0] != "first.jpg" {
		t.Errorf("zip after the delete: %v", got)
	}
	if _, body := f.get(c, fmt.Sprintf("%s/p/%d", page, p1.ID)); !bytes.Contains(body, []byte("1 / 1")) {
		t.Error("the photo page does not count the delete")
	}
	again := p2
	again.ID = 0
	again.Filename = "third.jpg"
	if _, err := other.AddPhoto(ctx, again); err != nil {
		t.Fatal(err)
	}
	if _, body := f.get(c, page); !bytes.Contains(body, []byte("third.jpg")) {
		t.Error("a photo added by another process does not show on the page")
	}
	if got := f.zipNames(c, page+"/zip"); len(got) != 2 {
		t.Errorf("zip after the add: %v", got)
	}
}

// TestReads_StudioName: the studio's name on every page is remembered
// too, and a new name set by another process shows on the next page.
func TestReads_StudioName(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.Public)})
	other, err := db.Open(ctx, filepath.Join(f.dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	c := f.client()
	for _, name := range []string{"Lumen Studio", "Studio Nord"} {
		if err := other.SetSetting(ctx, db.SettingStudioName, name); err != nil {
			t.Fatal(err)
		}
		for range 2 { // the second from the cache
			if _, body := f.get(c, "/g/"+g.Slug); !bytes.Contains(body, []byte(name)) {
				t.Fatalf("the page does not show the studio name %q", name)
			}
		}
	}
}
