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
