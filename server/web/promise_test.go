package web

import (
	"bytes"
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
