package tui_test

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"pinhole/db"
)

// TestPreview_ExpiredDraft: for a draft whose last day has passed, the
// list says expired, not its last day, and "as a client sees it" does not
// promise that the preview link shows it: the website answers the preview
// with the expired page.
func TestPreview_ExpiredDraft(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Old party", "", func(in *db.GalleryInput) { in.Published = new(false) })
	conn, err := sql.Open("sqlite", e.store.Path())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec("UPDATE galleries SET expires_at = ? WHERE id = ?", clock.Add(-time.Hour).Unix(), g.ID); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	tm := e.run(120, 40)
	waitFor(t, tm, "Old party", "expired")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("v"))
	waitFor(t, tm, "AS A CLIENT SEES IT", "(copied)")
	settle(tm)
	m := final(t, tm)
	v := strings.Join(strings.Fields(ansi.Strip(m.View())), " ")
	if strings.Contains(v, "shows it all the same") || !strings.Contains(v, "has expired") {
		t.Errorf("as a client sees an expired draft:\n%s", v)
	}
}

// TestPreview_SetsBehindTheirOwnPIN: "as a client sees it" on a gallery
// with sets does not count a set behind a PIN of its own among the photos
// its PIN shows: it says that set asks for its own.
func TestPreview_SetsBehindTheirOwnPIN(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	wedding := e.gallery("Wedding", "111111")
	e.gallery("Dinner", "", func(in *db.GalleryInput) { in.Parent, in.Access = &wedding.Slug, nil })
	pin := db.PINAccess
	own := e.gallery("Portraits", "222222", func(in *db.GalleryInput) { in.Parent, in.Access = &wedding.Slug, &pin })
	for i, g := range []db.Gallery{wedding, own} {
		if _, err := e.store.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: "a.jpg", SHA256: strings.Repeat(string(rune('a'+i)), 64), Bytes: 1, Width: 1, Height: 1}); err != nil {
			t.Fatal(err)
		}
	}
	tm := e.run(160, 40)
	waitFor(t, tm, "Wedding")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS")
	send(tm, runes("v"))
	waitFor(t, tm, "AS A CLIENT SEES IT", "(copied)")
	settle(tm)
	v := strings.Join(strings.Fields(ansi.Strip(final(t, tm).View())), " ")
	if !strings.Contains(v, "Portraits (its own PIN 222222)") {
		t.Errorf("as a client sees the wedding, Portraits is not said to ask for its own PIN:\n%s", v)
	}
}

// TestShare_SaysWhenTheLinkWillNotOpen: the share screens warn, as gallery
// share does, before the photographer copies a message that would lead
// nowhere: a draft's link, a login that opens no gallery now.
func TestShare_SaysWhenTheLinkWillNotOpen(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	draft := e.gallery("Proofs", "222222", func(in *db.GalleryInput) { in.Published = new(false) })
	cl, err := e.store.CreateClient(ctx, db.ClientInput{Name: new("Anna")})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.store.Grant(ctx, cl.ID, draft.Slug); err != nil {
		t.Fatal(err)
	}
	tm := e.run(120, 40)
	waitFor(t, tm, "Proofs")
	send(tm, runes("s"))
	waitFor(t, tm, "LINK", "This link will not open yet: the gallery is a draft")
	send(tm, key(tea.KeyEsc), runes("2"))
	waitFor(t, tm, "1 client login")
	send(tm, runes("s"))
	waitFor(t, tm, "ACCESS CODE", "This login opens no gallery now")
	final(t, tm)
}

// TestGallery_ListedOnlyWhenTheHomePageShowsIt: a PIN gallery marked
// listed is not said to be on the home page, which shows only open public
// galleries at the top.
func TestGallery_ListedOnlyWhenTheHomePageShowsIt(t *testing.T) {
	e := newEnv(t)
	e.gallery("Wedding", "222222", func(in *db.GalleryInput) { in.Listed = new(true) })
	tm := e.run(120, 40)
	waitFor(t, tm, "Wedding")
	send(tm, key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", "marked listed, not on the home page")
	final(t, tm)
}

// TestPreview_GoingUp: "as a client sees it" on a set that lets visitors
// go up says whether the PIN typed on the set opens its parent too.
func TestPreview_GoingUp(t *testing.T) {
	e := newEnv(t)
	wedding := e.gallery("Wedding", "111111")
	e.gallery("Dinner", "", func(in *db.GalleryInput) { in.Parent, in.Access, in.NavigateUp = &wedding.Slug, nil, new(true) })
	tm := e.run(160, 40)
	waitFor(t, tm, "Dinner")
	send(tm, key(tea.KeyDown), key(tea.KeyEnter))
	waitFor(t, tm, "SETTINGS", "Dinner")
	send(tm, runes("v"))
	waitFor(t, tm, "AS A CLIENT SEES IT", "(copied)")
	settle(tm)
	v := strings.Join(strings.Fields(ansi.Strip(final(t, tm).View())), " ")
	if !strings.Contains(v, "They may go up to Wedding: the PIN typed here opens it too.") {
		t.Errorf("as a client sees Dinner, going up is not said:\n%s", v)
	}
}
