package tui_test

import (
	"context"
	"strings"
	"testing"

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
