package server

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"pinhole/db"
)

// A photo id can come back after its photo was deleted; renditions are
// cached as immutable, so their URLs carry the content's hash too.
func TestGallery_RenditionURLsCarryTheContent(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Public", db.GalleryInput{Access: ptr(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	_, body := f.get(f.client(), "/g/"+g.Slug)
	for _, kind := range []string{"t", "v"} {
		want := fmt.Sprintf("/g/%s/%s/%d?v=%s", g.Slug, kind, p.ID, p.SHA256[:12])
		if !strings.Contains(string(body), want) {
			t.Errorf("gallery page lacks %s", want)
		}
	}
	if _, err := f.store.DeletePhoto(context.Background(), g.ID, p.ID); err != nil {
		t.Fatal(err)
	}
	q := f.addPhoto(g, testPhotos[1])
	_, body = f.get(f.client(), "/g/"+g.Slug)
	if strings.Contains(string(body), "?v="+p.SHA256[:12]) || !strings.Contains(string(body), "?v="+q.SHA256[:12]) {
		t.Errorf("after replacing photo %d (now %d) the page still names the old content", p.ID, q.ID)
	}
}
