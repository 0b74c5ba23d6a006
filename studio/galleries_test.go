package studio

import (
	"context"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/db/dbtest"
)

// TestEditGallery_NewPINWhereNoneIsAsked: a new PIN is refused for the
// gallery as the edit leaves it: a top gallery moved under a parent to take
// its PIN has no PIN of its own, as a set taking it has; a set moved to the
// top with its own access gets one.
func TestEditGallery_NewPINWhereNoneIsAsked(t *testing.T) {
	ctx := context.Background()
	s := dbtest.Open(t, nil)
	create := func(title string, in db.GalleryInput) db.Gallery {
		t.Helper()
		in.Title = &title
		g, err := CreateGallery(ctx, s, in)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	wedding := create("Wedding", db.GalleryInput{})
	dinner := create("Dinner", db.GalleryInput{})
	inherit, top := db.Inherit, ""
	_, err := EditGallery(ctx, s, dinner.Slug, db.GalleryInput{Parent: &wedding.Slug, Access: &inherit}, true)
	if err == nil || !strings.Contains(err.Error(), "takes the PIN of its parent "+wedding.Slug) {
		t.Fatalf("moved under %s to take its PIN, with a new PIN: %v", wedding.Slug, err)
	}
	if g, err := s.Gallery(ctx, dinner.Slug); err != nil || g.ParentID != 0 {
		t.Fatalf("the refused edit changed the gallery: parent %d, %v", g.ParentID, err)
	}
	if _, err := EditGallery(ctx, s, dinner.Slug, db.GalleryInput{Parent: &wedding.Slug, Access: &inherit}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := EditGallery(ctx, s, dinner.Slug, db.GalleryInput{}, true); err == nil {
		t.Error("a new PIN for a set that takes its parent's was made")
	}
	g, err := EditGallery(ctx, s, dinner.Slug, db.GalleryInput{Parent: &top}, true)
	if err != nil || g.ParentID != 0 || g.PIN == "" {
		t.Errorf("a set moved to the top, with a new PIN: %+v, %v", g, err)
	}
}
