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

// TestGallery_FavouritesForLightroom: F on a gallery copies every pick once,
// in the gallery's order, as Lightroom's filename filter takes them, and
// shows the line to select by hand; without picks it says so.
func TestGallery_FavouritesForLightroom(t *testing.T) {
	e := newEnv(t)
	studioData(t, e)
	tm := e.run(120, 40)
	waitFor(t, tm, "4 galleries")
	send(tm, key(tea.KeyEnter)) // Brown birthday: nobody picked
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("F"))
	waitFor(t, tm, "No favourites picked yet in Brown birthday")
	send(tm, key(tea.KeyEsc), key(tea.KeyDown), key(tea.KeyDown))
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Saturday 13 June")
	send(tm, runes("F"))
	waitFor(t, tm, "The 5 favourites of “Smith wedding”, for the filename filter of Lightroom",
		"IMG_4100, IMG_4101, IMG_4102, IMG_4103, IMG_4104")
	final(t, tm)
}
