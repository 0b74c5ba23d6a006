package tui_test

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
)

// TestGallery_SelectionsByList: the gallery screen lists each visitor's
// selection under its name, numbered where names repeat, and says which
// was sent.
func TestGallery_SelectionsByList(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g := e.gallery("Smith wedding", "123456")
	p, err := e.store.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: "a.jpg", SHA256: "aa", Bytes: 1, Width: 3, Height: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Anna", "anna"} {
		_, l, err := e.store.CreatePickList(ctx, db.PickList{GalleryID: g.ID, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.SetPick(ctx, l.ID, p.ID, true, false); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			if err := e.store.SendPickLists(ctx, l.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "FAVOURITES", "Anna", "♥ 1  sent ", "anna (2)")
	final(t, tm)
}
