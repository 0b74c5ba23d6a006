package tui_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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

// TestGallery_XMPSidecars: X on a gallery asks for the folder the photos
// are in (the last import's, else the working folder; tab completes) and
// writes a sidecar with a green label and five stars beside each pick
// found there, keeping what an existing sidecar holds; the picks not found
// are listed. Without picks it says so.
func TestGallery_XMPSidecars(t *testing.T) {
	e := newEnv(t)
	studioData(t, e)
	raw := filepath.Join(t.TempDir(), "Smith RAW")
	os.Mkdir(raw, 0o755)
	for _, n := range []string{"IMG_4100.jpg", "IMG_4101.JPG", "IMG_4102.jpg", "IMG_4103.jpg", "other.jpg"} {
		os.WriteFile(filepath.Join(raw, n), []byte("x"), 0o644)
	}
	kept := `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">` +
		`<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="image/jpeg"/></rdf:RDF></x:xmpmeta>`
	os.WriteFile(filepath.Join(raw, "IMG_4102.xmp"), []byte(kept), 0o644)

	tm := e.run(160, 30)
	waitFor(t, tm, "4 galleries")
	send(tm, key(tea.KeyEnter)) // Brown birthday: nobody picked
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("X"))
	waitFor(t, tm, "No favourites picked yet in Brown birthday")
	send(tm, key(tea.KeyEsc), key(tea.KeyDown), key(tea.KeyDown), key(tea.KeyEnter))
	waitFor(t, tm, "Saturday 13 June")
	send(tm, runes("X"))
	waitFor(t, tm, "XMP SIDECARS", "Read Metadata from Files", "enter write sidecars")
	send(tm, key(tea.KeyCtrlU))
	// Typed as a terminal delivers a paste, then completed with tab.
	send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(filepath.Join(filepath.Dir(raw), "Smi")), Paste: true}, key(tea.KeyTab))
	waitFor(t, tm, "Smith RAW/")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "4 sidecars written or updated in", "; 1 pick not found there", "not in ", ": IMG_4104.jpg")
	final(t, tm)

	for _, n := range []string{"IMG_4100", "IMG_4101", "IMG_4102", "IMG_4103"} {
		b, err := os.ReadFile(filepath.Join(raw, n+".xmp"))
		if err != nil || !strings.Contains(string(b), `xmp:Label="Green"`) || !strings.Contains(string(b), `xmp:Rating="5"`) {
			t.Errorf("%s.xmp: %v\n%s", n, err, b)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(raw, "IMG_4102.xmp")); !strings.Contains(string(b), `dc:format="image/jpeg"`) {
		t.Errorf("the existing sidecar lost what it held:\n%s", b)
	}
	if _, err := os.Stat(filepath.Join(raw, "other.xmp")); err == nil {
		t.Error("a sidecar for a photo nobody picked")
	}
}
