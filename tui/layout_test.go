package tui_test

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
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
