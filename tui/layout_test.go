package tui_test

import (
	"context"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
	"pinhole/studio"
)

// A long title gives way to what is said after it: the import under way
// and the state a client meets stay on the row, whatever the width.
func TestGalleries_LongTitleKeepsStateAndProgress(t *testing.T) {
	e := newEnv(t)
	e.gallery("Okafor family reunion at the lake house, summer 2026", "")
	e.gallery("Brown birthday party at the community hall", "2468", func(in *db.GalleryInput) {
		pub := false
		in.Published = &pub
	})
	tm := e.run(60, 20)
	waitFor(t, tm, "2 galleries", "(draft)")
	send(tm, key(tea.KeyDown))
	send(tm, runes("i"))
	waitFor(t, tm, "Import photos into")
	send(tm, key(tea.KeyCtrlU), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(manyPhotos(t, 200)), Paste: true}, key(tea.KeyEnter))
	waitFor(t, tm, "✓ Importing into")
	release := e.holdWrites() // the import stays under way while the row is read
	waitFor(t, tm, "Okafor family", "⟳")
	release()
	send(tm, key(tea.KeyCtrlC), runes("y"))
	tm.WaitFinished(t)
}

// Wherever a copy is made, the key the status bar names shows the text to
// select by hand: o on a gallery (its link, PIN and preview link), ctrl+o
// in a client login's editor, where letters are typed.
func TestCopy_EveryCopyCanBeSelectedByHand(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "482917")
	name := "Anna Smith"
	if _, err := e.store.CreateClient(context.Background(), db.ClientInput{Name: &name}); err != nil {
		t.Fatal(err)
	}
	tm := e.run(80, 24)
	waitFor(t, tm, "1 gallery")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("v"))
	waitFor(t, tm, "(copied)")
	send(tm, runes("o"))
	waitFor(t, tm, "Select with the mouse", studio.GalleryURL("http://localhost:8080", g.Slug), "482917", "http://localhost:8080/preview/")
	send(tm, key(tea.KeyEsc), key(tea.KeyEsc), runes("2"))
	waitFor(t, tm, "1 client login")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Client login: Anna Smith")
	send(tm, key(tea.KeyCtrlP))
	waitFor(t, tm, "ctrl+o shows")
	send(tm, key(tea.KeyCtrlO))
	waitFor(t, tm, "Select with the mouse", "http://localhost:8080/preview/")
	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "Client login: Anna Smith")
	final(t, tm)
}
