package tui_test

import (
	"context"
	"fmt"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
)

// TestForm_ChooseCover: the edit form names the cover by file name (tab
// completes it), refuses a name no photo has, and saves the cover and the
// PIN-page choice.
func TestForm_ChooseCover(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	var photos []db.Photo
	for i := range 3 {
		p, err := e.store.AddPhoto(context.Background(), db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%04d.jpg", 4100+i),
			SHA256: fmt.Sprintf("%064x", i+1), Bytes: 1000, Width: 6000, Height: 4000})
		if err != nil {
			t.Fatal(err)
		}
		photos = append(photos, p)
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("e"))
	waitFor(t, tm, "Edit “Smith wedding”", "Cover", "PIN page")
	for range 10 {
		send(tm, key(tea.KeyTab))
	}
	tm.Type("IMG_9999.jpg")
	send(tm, key(tea.KeyCtrlS))
	waitFor(t, tm, "Not saved", "No photo of this gallery has this name")
	for range 12 {
		send(tm, key(tea.KeyBackspace))
	}
	tm.Type("IMG_4101")
	send(tm, key(tea.KeyTab)) // completes the name
	send(tm, key(tea.KeyTab)) // on to the PIN page choice
	send(tm, runes(" "))
	send(tm, key(tea.KeyCtrlS))
	waitFor(t, tm, "Saved “Smith wedding”")
	final(t, tm)

	got, err := e.store.Gallery(context.Background(), g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.CoverID != photos[1].ID || !got.CoverOnPIN {
		t.Errorf("cover %d on PIN %v, want %d and true", got.CoverID, got.CoverOnPIN, photos[1].ID)
	}
}
