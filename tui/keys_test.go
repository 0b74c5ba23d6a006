package tui_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
	"pinhole/studio"
)

// Keys that arrive in one read reach the program as one message with
// several runes: over SSH and when typing fast that is the normal case.
// Each rune must count as the key it is.

func TestKeys_RunesInOneMessageMoveOneRowEach(t *testing.T) {
	e := newEnv(t)
	for _, title := range []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo"} {
		e.gallery(title, "")
	}
	gs, err := e.store.Galleries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	fourth := studio.Ordered(gs)[3]
	tm := e.run(120, 40)
	waitFor(t, tm, "5 galleries")
	send(tm, runes("jjj"), key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", fourth.Slug)
	final(t, tm)
}

func TestKeys_FilterTypedInOneMessage(t *testing.T) {
	e := newEnv(t)
	okafor := e.gallery("Okafor family", "")
	e.gallery("Müller headshots", "")
	tm := e.run(120, 40)
	waitFor(t, tm, "2 galleries")
	// "/okaf" and enter: the filter keeps "okaf", enter opens the one match.
	send(tm, runes("/okaf"), key(tea.KeyEnter), key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", okafor.Slug)
	final(t, tm)
}

func TestKeys_PastedSlugFiltersTheList(t *testing.T) {
	e := newEnv(t)
	okafor := e.gallery("Okafor family", "")
	e.gallery("Müller headshots", "")
	tm := e.run(120, 40)
	waitFor(t, tm, "2 galleries")
	// A paste is text, not keys: "d" or "q" in it must do nothing; on a
	// list it goes into the filter.
	send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(okafor.Slug + "\n"), Paste: true})
	waitFor(t, tm, "1 of 2 galleries match")
	send(tm, key(tea.KeyEnter), key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", okafor.Slug)
	final(t, tm)
}

func TestKeys_PasteGoesWholeIntoAField(t *testing.T) {
	e := newEnv(t)
	parent := e.gallery("Okafor family", "")
	tm := e.run(120, 40)
	waitFor(t, tm, "1 gallery")
	send(tm, runes("n"), runes("Okafor portraits"))
	for range 3 { // title, description, date → parent
		send(tm, key(tea.KeyTab))
	}
	send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(parent.Slug), Paste: true}, key(tea.KeyCtrlS))
	waitFor(t, tm, "Created “Okafor portraits”")
	final(t, tm)
	gs, err := e.store.Galleries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var got db.Gallery
	for _, g := range gs {
		if g.Title == "Okafor portraits" {
			got = g
		}
	}
	if got.ParentSlug != parent.Slug {
		t.Errorf("the sub-gallery's parent is %q, want %q", got.ParentSlug, parent.Slug)
	}
}

// Keys typed ahead of a screen change go to the screen they were typed
// for: "n" opens the form, and what follows is its title.
func TestKeys_TypedAheadOfTheNextScreen(t *testing.T) {
	e := newEnv(t)
	tm := e.run(120, 40)
	waitFor(t, tm, "No galleries yet")
	send(tm, runes("nSmith"), runes(" "), runes("wedding"), key(tea.KeyCtrlS))
	waitFor(t, tm, "Created “Smith wedding”")
	final(t, tm)
	gs, err := e.store.Galleries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(gs) != 1 || gs[0].Title != "Smith wedding" {
		var titles []string
		for _, g := range gs {
			titles = append(titles, g.Title)
		}
		t.Errorf("galleries %q, want one, Smith wedding", strings.Join(titles, ", "))
	}
}

// Leaving a form with unsaved changes asks first; leaving one unchanged
// does not.
func TestForms_EscAsksBeforeThrowingChangesAway(t *testing.T) {
	e := newEnv(t)
	tm := e.run(120, 40)
	waitFor(t, tm, "No galleries yet")

	send(tm, runes("n"))
	waitFor(t, tm, "New gallery")
	send(tm, key(tea.KeyEsc)) // unchanged: leaves at once
	waitFor(t, tm, "No galleries yet")
	send(tm, runes("n"), runes("Smith wedding"), key(tea.KeyEsc))
	waitFor(t, tm, "Leave without saving your changes?")
	send(tm, runes("n"), runes(" 2026"), key(tea.KeyCtrlS)) // stays, and the title is whole
	waitFor(t, tm, "Created “Smith wedding 2026”")

	send(tm, runes("2"), runes("n"), runes("Anna"), key(tea.KeyEsc))
	waitFor(t, tm, "Leave without saving your changes?")
	send(tm, runes("y"))
	waitFor(t, tm, "No client logins yet")

	send(tm, runes("4"), runes("e"), runes("x"), key(tea.KeyEsc))
	waitFor(t, tm, "Leave without saving your changes?")
	send(tm, runes("y"))
	waitFor(t, tm, "e or enter to change")
	final(t, tm)
	if v, _ := studio.Setting(context.Background(), e.store, db.SettingStudioName); v != "Pinhole" {
		t.Errorf("studio name %q after leaving without saving", v)
	}
	if cs, _ := e.store.Clients(context.Background()); len(cs) != 0 {
		t.Errorf("%d client logins after leaving without saving", len(cs))
	}
}

// Deleting a gallery deletes its sub-galleries and their photos: the
// question counts them all.
func TestGallery_DeleteCountsSubGalleries(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	wedding := e.gallery("Smith wedding", "123456")
	str := func(v string) *string { return &v }
	ceremony := e.gallery("Ceremony", "", func(in *db.GalleryInput) { in.Parent, in.Access = str(wedding.Slug), nil })
	e.gallery("Party", "", func(in *db.GalleryInput) { in.Parent, in.Access = str(wedding.Slug), nil })
	n := 0
	for _, g := range []db.Gallery{wedding, ceremony, ceremony} {
		for range 19 {
			n++
			if _, err := e.store.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%04d.jpg", n),
				SHA256: fmt.Sprintf("%064x", n), Bytes: 1000, Width: 10, Height: 10}); err != nil {
				t.Fatal(err)
			}
		}
	}
	tm := e.run(140, 40)
	waitFor(t, tm, "3 galleries")
	send(tm, runes("/smith"), key(tea.KeyEnter), key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("d"))
	waitFor(t, tm, "Delete “Smith wedding” and its 2 sub-galleries, 57 photos in all? Clients lose them at once.")
	send(tm, runes("n"))
	final(t, tm)
}

// A template with a typo is refused on save, with the known placeholders.
func TestSettings_RefusesAnUnknownPlaceholder(t *testing.T) {
	e := newEnv(t)
	tm := e.run(120, 40)
	waitFor(t, tm, "No galleries yet")
	send(tm, runes("4"))
	waitFor(t, tm, "e or enter to change")
	send(tm, runes("e"), key(tea.KeyTab), key(tea.KeyTab), runes(" {titel}"), key(tea.KeyCtrlS))
	waitFor(t, tm, "unknown placeholder {titel}", "{title} {url} {pin} {expires} {studio}")
	final(t, tm)
	if v, _ := e.store.Setting(context.Background(), db.SettingTemplateLink); strings.Contains(v, "titel") {
		t.Errorf("saved %q", v)
	}
}

// The activity view reads as a table: headers, where the cursor is, names
// that stay apart; enter opens an event's gallery and esc comes back to
// the same event; a gallery's activity (a) returns to the gallery.
func TestActivity_ReadableAndOpensWhereItHappened(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	g := e.gallery("Okafor family reunion at the lake house 2026", "")
	other := e.gallery("Jones family", "")
	for i, name := range []string{"IMG_20260613_Okafor_reunion_0041.jpg", "IMG_20260613_Okafor_reunion_0042.jpg", "IMG_20260613_Okafor_reunion_0043.jpg"} {
		p, err := e.store.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: name, SHA256: fmt.Sprintf("%064x", i+1), Bytes: 1000, Width: 10, Height: 10})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.store.AddEvent(ctx, db.Event{GalleryID: g.ID, Kind: db.EventDownload, PhotoID: p.ID, Address: "203.0.113.9", At: clock.Add(-time.Duration(10-i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.AddEvent(ctx, db.Event{GalleryID: other.ID, Kind: db.EventView, Address: "198.51.100.7", At: clock.Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	tm := e.run(80, 24)
	waitFor(t, tm, "2 galleries")
	send(tm, runes("3"))
	waitFor(t, tm, "WHEN", "GALLERY", "WHO", "WHAT", "4 of 4", "0041.jpg", "0042.jpg", "0043.jpg")
	send(tm, key(tea.KeyUp), key(tea.KeyUp))
	waitFor(t, tm, "2 of 4")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", g.Slug)
	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "2 of 4")

	// From a gallery, its activity and back.
	send(tm, runes("1"), runes("/jones"), key(tea.KeyEnter), key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", other.Slug)
	send(tm, runes("a"))
	waitFor(t, tm, "1 of 1")
	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "SETTINGS", other.Slug)
	final(t, tm)
}
