package tui_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"pinhole/db"
	"pinhole/studio"
	"pinhole/tui"
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
	e.client("Anna Smith")
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

// At 60×20 the settings do not fit: the field being edited shows whole,
// with the placeholders it may use, however far down it is.
func TestSettings_EditedFieldShowsWholeOnASmallTerminal(t *testing.T) {
	for _, tc := range []struct {
		tabs         int
		label, known string
		names        []string
	}{
		{3, "PIN text", "in these texts:", db.TemplatePlaceholders},
		{4, "Login text", "sends a client login:", db.ClientPlaceholders},
	} {
		e := newEnv(t)
		tm := e.run(60, 20)
		waitFor(t, tm, "No galleries yet")
		send(tm, runes("4"))
		waitFor(t, tm, "e or enter to change")
		send(tm, runes("e"))
		for range tc.tabs {
			send(tm, key(tea.KeyTab))
		}
		send(tm, runes("Hi"))
		waitFor(t, tm, "Hi")
		view := ansi.Strip(final(t, tm).View())
		i := strings.Index(view, tc.known)
		if !strings.Contains(view, "▌ "+tc.label) || i < 0 {
			t.Fatalf("%s being edited is not on screen with its placeholders:\n%s", tc.label, view)
		}
		for _, p := range tc.names {
			if !strings.Contains(view[i:], p) {
				t.Errorf("%s: placeholder %s is not shown:\n%s", tc.label, p, view)
			}
		}
	}
}

// At 140 columns the side pane shows the selected gallery's link whole,
// over as many lines as it takes: a cut link cannot be read out or typed.
func TestGalleries_SidePaneShowsTheWholeLink(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Okafor family reunion at the lake house, summer 2026", "")
	tm := e.run(140, 40)
	waitFor(t, tm, "1 gallery", "Last visit")
	var pane strings.Builder
	for _, l := range strings.Split(ansi.Strip(final(t, tm).View()), "\n") {
		if i, j := strings.Index(l, "│"), strings.LastIndex(l, "│"); i >= 0 && j > i {
			pane.WriteString(strings.TrimSpace(l[i+len("│") : j]))
		}
	}
	if url := studio.GalleryURL("http://localhost:8080", g.Slug); !strings.Contains(pane.String(), url) {
		t.Errorf("the side pane does not show %s whole:\n%s", url, pane.String())
	}
}

// flat is a screen's text with every run of spaces and line breaks made
// one space: a sentence wrapped over lines reads as one.
func flat(view string) string { return strings.Join(strings.Fields(ansi.Strip(view)), " ") }

// At 60×20 the sentences that explain a screen are read whole, wrapped
// or said shorter, never cut.
func TestLayout_SentencesReadWholeAt60Columns(t *testing.T) {
	for _, tc := range []struct {
		name string
		keys [][]tea.Msg
		wait []string
		want string
	}{
		{"share", [][]tea.Msg{{key(tea.KeyDown), key(tea.KeyDown), runes("s")}}, []string{"LINK"}, "PIN by text message"},
		{"client share", [][]tea.Msg{{runes("2")}, {runes("s")}}, []string{"1 client login", "ACCESS CODE"}, "see every gallery shared with them."},
		{"client", [][]tea.Msg{{runes("2")}, {key(tea.KeyEnter)}}, []string{"1 client login", "bride"}, "page as they see it"},
		{"new client", [][]tea.Msg{{runes("2")}, {runes("n")}}, []string{"1 client login", "New client login"}, "page as they see it"},
	} {
		t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
			e := newEnv(t)
			studioData(t, e)
			tm := e.run(60, 20)
			waitFor(t, tm, "4 galleries")
			for i, keys := range tc.keys {
				send(tm, keys...)
				waitFor(t, tm, tc.wait[i])
			}
			settle(tm)
			if view := final(t, tm).View(); !strings.Contains(flat(view), tc.want) {
				t.Errorf("%q is not read whole:\n%s", tc.want, view)
			}
		})
	}
}

// After a cancel, the import screen says whole, at 80 columns, how to
// finish the job.
func TestImport_CancelledSaysHowToResumeAt80Columns(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith wedding", "123456")
	tm := e.run(80, 24)
	waitFor(t, tm, "1 gallery")
	startImport(t, tm, manyPhotos(t, 200))
	release := e.holdWrites() // the import cannot end before it is stopped
	send(tm, runes("i"))
	waitFor(t, tm, "x stops it")
	send(tm, runes("x"))
	release()
	waitFor(t, tm, "Cancelled: ")
	settle(tm)
	if view := final(t, tm).View(); !strings.Contains(flat(view), "i on the gallery offers the same folder again: photos already in the gallery are skipped.") {
		t.Errorf("the way to resume is not read whole:\n%s", view)
	}
}

// A question before something that cannot be undone is read whole, at 60
// columns too and below a full list.
func TestLayout_QuestionsReadWhole(t *testing.T) {
	t.Run("delete_gallery", func(t *testing.T) {
		e := newEnv(t)
		studioData(t, e)
		tm := e.run(60, 20)
		waitFor(t, tm, "4 galleries")
		send(tm, key(tea.KeyDown), key(tea.KeyDown), key(tea.KeyEnter))
		waitFor(t, tm, "SETTINGS")
		send(tm, runes("d"))
		waitFor(t, tm, "y/n")
		settle(tm)
		if view := final(t, tm).View(); !strings.Contains(flat(view), "Delete “Smith wedding” and its 1 sub-gallery, 24 photos in all? Clients lose them at once. y/n") {
			t.Errorf("the question is not read whole:\n%s", view)
		}
	})
	t.Run("new_pin", func(t *testing.T) {
		e := newEnv(t)
		studioData(t, e)
		tm := e.run(60, 20)
		waitFor(t, tm, "4 galleries")
		send(tm, key(tea.KeyDown), key(tea.KeyDown), key(tea.KeyEnter))
		waitFor(t, tm, "SETTINGS")
		send(tm, runes("P"))
		waitFor(t, tm, "y/n")
		settle(tm)
		if view := final(t, tm).View(); !strings.Contains(flat(view), "A new PIN ends every PIN session of this gallery. New PIN? y/n") {
			t.Errorf("the question is not read whole:\n%s", view)
		}
	})
	t.Run("delete_client", func(t *testing.T) {
		e := newEnv(t)
		for i := range 30 {
			name := fmt.Sprintf("Client %02d", i)
			if _, err := e.store.CreateClient(context.Background(), db.ClientInput{Name: &name}); err != nil {
				t.Fatal(err)
			}
		}
		tm := e.run(80, 24)
		waitFor(t, tm, "No galleries yet")
		send(tm, runes("2"))
		waitFor(t, tm, "30 client logins")
		send(tm, runes("G"), runes("d"))
		waitFor(t, tm, "y/n")
		settle(tm)
		view := final(t, tm).View()
		if !strings.Contains(flat(view), "Delete the login of Client 29? Their galleries stay; the code stops working. y/n") ||
			!strings.Contains(view, "▌ Client 29") || !strings.Contains(view, "30 client logins · 16–30 of 30") {
			t.Errorf("the question or the login it is about is not on screen:\n%s", view)
		}
	})
}

// While the Base URL is being typed, the note under it still says what
// links start with now, by the saved setting: not "unset" because the
// field differs from it.
func TestSettings_BaseURLNoteFollowsTheSavedSetting(t *testing.T) {
	e := newEnv(t)
	if err := e.store.SetSetting(context.Background(), db.SettingBaseURL, "https://photos.example.com"); err != nil {
		t.Fatal(err)
	}
	cfg := e.config()
	cfg.Links = studio.Given{Serving: "http://localhost:9000"}
	tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "No galleries yet")
	send(tm, runes("4"))
	waitFor(t, tm, "where clients reach the website; links start with it")
	send(tm, runes("e"), key(tea.KeyTab), runes("/studio"))
	waitFor(t, tm, "https://photos.example.com/studio")
	settle(tm)
	if view := ansi.Strip(final(t, tm).View()); !strings.Contains(view, "where clients reach the website; links start with it") || strings.Contains(view, "unset") {
		t.Errorf("the note under the Base URL changed with what is typed:\n%s", view)
	}
}

// enter on a client's sign-in opens that client login, and esc comes back
// to the same event.
func TestActivity_EnterOpensTheClientOfALogin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	e.gallery("Jones family", "")
	cl := e.client("Anna Smith")
	for i, ev := range []db.Event{
		{Kind: db.EventLogin, ClientID: cl.ID, Address: "203.0.113.9"},
		{Kind: db.EventLoginFail, Address: "198.51.100.7"},
		{Kind: db.EventLogin, ClientID: cl.ID, Address: "203.0.113.9"},
	} {
		ev.At = clock.Add(-time.Duration(10-i) * time.Minute)
		if err := e.store.AddEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	tm := e.run(80, 24)
	waitFor(t, tm, "1 gallery")
	send(tm, runes("3"))
	waitFor(t, tm, "3 of 3")
	send(tm, key(tea.KeyUp), key(tea.KeyUp))
	waitFor(t, tm, "1 of 3")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Client login: Anna Smith")
	send(tm, key(tea.KeyEsc))
	waitFor(t, tm, "1 of 3")
	send(tm, key(tea.KeyDown), key(tea.KeyEnter))
	waitFor(t, tm, "no gallery or client login to open")
	final(t, tm)
}

// The gallery's own screen says its import is under way at 60 columns
// too, however long its slug.
func TestGallery_ImportUnderWayShownAt60Columns(t *testing.T) {
	e := newEnv(t)
	e.gallery("Okafor family reunion at the lake house", "", func(in *db.GalleryInput) {
		date := "2026-06-13"
		in.EventDate = &date
	})
	tm := e.run(60, 20)
	waitFor(t, tm, "1 gallery")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("i"))
	waitFor(t, tm, "Import photos into")
	send(tm, key(tea.KeyCtrlU), tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(manyPhotos(t, 200)), Paste: true}, key(tea.KeyEnter))
	release := e.holdWrites()
	waitFor(t, tm, "(i shows it)")
	release()
	send(tm, key(tea.KeyCtrlC), runes("y"))
	tm.WaitFinished(t)
}

// A sub-gallery's screen names its parent by title, as the photographer
// named it, not by its slug.
func TestGallery_SubGalleryNamesItsParentByTitle(t *testing.T) {
	e := newEnv(t)
	studioData(t, e)
	tm := e.run(120, 40)
	waitFor(t, tm, "4 galleries")
	send(tm, key(tea.KeyDown), key(tea.KeyDown), key(tea.KeyDown), key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	settle(tm)
	view := final(t, tm).View()
	for _, want := range []string{"in “Smith wedding” · smith-engagement-p2m7dd", "PIN (as “Smith wedding”)"} {
		if !strings.Contains(view, want) {
			t.Errorf("%q is not on the sub-gallery's screen:\n%s", want, view)
		}
	}
}

// A paste while the plain view covers the screen goes nowhere: not into
// the field hidden under it.
func TestKeys_PasteOverThePlainViewGoesNowhere(t *testing.T) {
	e := newEnv(t)
	e.client("Anna Smith")
	tm := e.run(80, 24)
	waitFor(t, tm, "No galleries yet")
	send(tm, runes("2"))
	waitFor(t, tm, "1 client login")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "Client login: Anna Smith")
	send(tm, key(tea.KeyCtrlP))
	waitFor(t, tm, "ctrl+o shows")
	send(tm, key(tea.KeyCtrlO))
	waitFor(t, tm, "Select with the mouse")
	send(tm, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(" pasted"), Paste: true}, key(tea.KeyEsc))
	waitFor(t, tm, "Client login: Anna Smith")
	settle(tm)
	if view := final(t, tm).View(); strings.Contains(view, "pasted") {
		t.Errorf("the paste went into the field under the plain view:\n%s", view)
	}
}

// Keys typed right after tab, before the folder is completed, land after
// the completion, as in a shell: "pho⇥lov" reads photos/lov, not pholov.
func TestImport_KeysTypedAfterTabFollowTheCompletion(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith wedding", "123456")
	abs, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("i"))
	waitFor(t, tm, "Import photos into")
	send(tm, key(tea.KeyCtrlU), runes(abs+"/pho"), key(tea.KeyTab), runes("lov"))
	waitFor(t, tm, abs+"/photos/lov")
	final(t, tm)
}

// A cancelled import's folder is offered again in a later session too:
// quitting in the middle (which stops it) and coming back the next day
// resumes it with enter.
func TestImport_FolderRememberedAcrossSessions(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "123456")
	dir := manyPhotos(t, 200)
	tm := e.run(120, 40)
	waitFor(t, tm, "1 gallery")
	startImport(t, tm, dir)
	release := e.holdWrites() // still under way when quitting
	send(tm, runes("q"))
	waitFor(t, tm, "stop and quit? y/n")
	send(tm, runes("y"))
	release()
	tm.WaitFinished(t, teatest.WithFinalTimeout(10*time.Second))
	n := e.checkFiles(g)

	tm = e.run(120, 40)
	waitFor(t, tm, "1 gallery")
	send(tm, runes("i"))
	waitFor(t, tm, "› "+dir)
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, fmt.Sprintf("Imported %d photos into “Smith wedding”", 200-n))
	final(t, tm)
}

// At 60 columns a copy's line in the status bar still names the key that
// shows the text, saying less about what was copied.
func TestCopy_StatusNamesThePlainKeyAt60Columns(t *testing.T) {
	e := newEnv(t)
	e.gallery("Smith wedding", "482917")
	tm := e.run(60, 20)
	waitFor(t, tm, "1 gallery")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("v"))
	waitFor(t, tm, "Copied if your terminal supports it · o shows it")
	final(t, tm)
}
