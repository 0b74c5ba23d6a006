package tui_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"pinhole/db"
)

// hostile is what an attacker can put in a name: an OSC 52 write to the
// photographer's clipboard, a window title, a C1 CSI and a CR that
// overwrites the line.
const (
	osc52   = "\x1b]52;c;aGk=\x07"
	title   = "\x1b]0;pwned\x07"
	c1      = "\u009b2J"
	hostile = osc52 + title + c1 + "\r" + forge
	// forge reorders or breaks what is around it (issue 16): the bidi
	// marks, embeddings, overrides and isolates, the line and paragraph
	// separators, a soft hyphen, a BOM and a tag character.
	forge = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\u00ad\ufeff\U000e0041"
)

// escapeData is a studio whose data carries terminal escapes everywhere
// the TUI shows data: a gallery title and description, a sub-gallery, a
// photo's file name, a client's name and note, a PIN visitor's first
// name in an event and a favourite.
func escapeData(t *testing.T, e *env) {
	ctx := context.Background()
	s := e.store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	str := func(v string) *string { return &v }
	g := e.fixSlug(e.gallery("Evil"+osc52+" wedding", "482917", func(in *db.GalleryInput) {
		in.Description = str("About" + hostile + "\nsecond\tline")
	}), "evil-wedding")
	e.gallery("Kid"+title+"\tgallery", "", func(in *db.GalleryInput) {
		in.Parent, in.Access = str(g.Slug), nil
	})
	p, err := s.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: "x" + osc52 + ".jpg",
		SHA256: strings.Repeat("a", 64), Bytes: 1000, Width: 600, Height: 400})
	must(err)
	code := "ANNA7K2QSMTH"
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: str("Anna" + hostile + "\nSmith"), Code: &code, Note: str("note" + hostile)})
	must(err)
	must(s.Grant(ctx, cl.ID, g.Slug))
	for _, l := range []db.PickList{{GalleryID: g.ID, Name: "Tom" + hostile}, {GalleryID: g.ID, ClientID: cl.ID}} {
		_, l, err := s.CreatePickList(ctx, l)
		must(err)
		must(s.SetPick(ctx, l.ID, p.ID, true, false))
	}
	for _, ev := range []db.Event{
		{GalleryID: g.ID, Kind: db.EventView, Visitor: "Eve" + hostile, At: clock.Add(-time.Hour)},
		{GalleryID: g.ID, Kind: db.EventDownload, Visitor: "Mal" + c1 + "\r", PhotoID: p.ID, At: clock.Add(-30 * time.Minute)},
		{GalleryID: g.ID, Kind: db.EventFavourite, ClientID: cl.ID, PhotoID: p.ID, At: clock.Add(-10 * time.Minute)},
	} {
		must(s.AddEvent(ctx, ev))
	}
}

// TestEscapes_DataNeverReachesTheTerminal walks every screen that shows
// data and checks both what the program wrote to the terminal (every
// frame) and each screen's last frame. With the ASCII profile, lipgloss
// writes no escapes, so a frame must hold no ESC, no C1, no BEL and no CR
// at all; the terminal stream holds the renderer's own CSI cursor moves
// ("\x1b[") and line ends, but never an OSC, a BEL or a C1.
func TestEscapes_DataNeverReachesTheTerminal(t *testing.T) {
	down, enter := key(tea.KeyDown), key(tea.KeyEnter)
	open := step{[]tea.Msg{enter}, "SETTINGS"} // the gallery is first: newest
	for _, sc := range []screenSteps{
		{"galleries", nil},
		{"gallery", []step{open}},
		{"gallery_delete", []step{open, {[]tea.Msg{runes("d")}, "y/n"}}},
		{"edit", []step{{[]tea.Msg{runes("e")}, "482917"}}},
		{"share", []step{{[]tea.Msg{runes("s")}, "LINK"}}},
		{"import", []step{{[]tea.Msg{runes("i")}, "Import photos into"}}},
		{"clients", []step{{[]tea.Msg{runes("2")}, "1 client login"}}},
		{"clients_delete", []step{{[]tea.Msg{runes("2")}, "1 client login"}, {[]tea.Msg{runes("d")}, "y/n"}}},
		{"client", []step{{[]tea.Msg{runes("2")}, "1 client login"}, {[]tea.Msg{enter}, "Client login:"}}},
		{"activity", []step{{[]tea.Msg{runes("3")}, "WHEN"}}},
		{"activity_down", []step{{[]tea.Msg{runes("3")}, "WHEN"}, {[]tea.Msg{down}, ""}}},
	} {
		t.Run(sc.name, func(t *testing.T) {
			e := newEnv(t)
			escapeData(t, e)
			tm := e.run(120, 40)
			var stream bytes.Buffer
			wait := func(text string) {
				t.Helper()
				var last []byte
				teatest.WaitFor(t, tm.Output(), func(b []byte) bool {
					last = b
					return strings.Contains(ansi.Strip(string(b)), text)
				}, teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(20*time.Millisecond))
				stream.Write(last)
			}
			wait("2 galleries")
			for _, st := range sc.steps {
				send(tm, st.keys...)
				wait(st.wait)
			}
			time.Sleep(100 * time.Millisecond) // let the last loads land
			view := final(t, tm).View()
			rest, err := io.ReadAll(tm.FinalOutput(t, teatest.WithFinalTimeout(5*time.Second)))
			if err != nil {
				t.Fatal(err)
			}
			stream.Write(rest)

			for _, bad := range append([]string{"\x1b", "\x07", "\u009b", "\r"}, strings.Split(forge, "")...) {
				if strings.Contains(view, bad) {
					t.Errorf("the frame holds %q:\n%q", bad, view)
				}
			}
			for _, bad := range append([]string{"\x1b]", "\x07", "\u009b"}, strings.Split(forge, "")...) {
				if strings.Contains(stream.String(), bad) {
					t.Errorf("the terminal was sent %q", bad)
				}
			}
			// The data is there, shown as Go escapes.
			if !strings.Contains(view, `\x1b]52;c;aGk=\x07`) && !strings.Contains(view, `\x1b]0;pwned\x07`) && !strings.Contains(view, `\u009b2J`) {
				t.Errorf("no escaped data on the screen:\n%s", view)
			}
		})
	}
}
