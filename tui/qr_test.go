package tui_test

import (
	"context"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/teatest"

	"pinhole/db"
	"pinhole/internal/testio"
	"pinhole/studio"
	"pinhole/tui"
)

// The share screen's QR code can be scanned from the screen: beside the
// texts where there is room, full screen (Q) where there is not.
func TestShare_QRCodeScansAtEverySize(t *testing.T) {
	const link = "https://photos.example.com/g/smith-wedding-k4q9x2"
	for _, tc := range []struct {
		w, h int
		keys []tea.Msg
		wait string
	}{
		{120, 40, nil, "Scan to open the link"},
		{80, 24, []tea.Msg{runes("Q")}, "esc closes"},
		{60, 20, []tea.Msg{runes("Q")}, "esc closes"},
	} {
		e := newEnv(t)
		studioData(t, e)
		tm := e.run(tc.w, tc.h)
		waitFor(t, tm, "4 galleries")
		send(tm, key(tea.KeyDown), key(tea.KeyDown), runes("s"))
		waitFor(t, tm, "LINK")
		if tc.keys != nil {
			send(tm, tc.keys...)
			waitFor(t, tm, tc.wait)
		}
		time.Sleep(100 * time.Millisecond)
		if got := testio.DecodeQR(t, final(t, tm).View()); got != link {
			t.Errorf("%d×%d: the QR code reads %q, want %q", tc.w, tc.h, got, link)
		}
	}
}

// Under tmux a copy also goes wrapped in DCS passthrough; the status bar
// does not promise what the terminal cannot confirm, and o shows the texts
// plainly, with the mouse free to select them.
func TestShare_CopyUnderTmuxAndPlainView(t *testing.T) {
	e := newEnv(t)
	g := e.gallery("Smith wedding", "482917")
	var clip lockedBuffer
	cfg := e.config()
	cfg.Output, cfg.Term = &clip, "tmux-256color"
	tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(120, 40))
	waitFor(t, tm, "Smith wedding")
	send(tm, runes("s"))
	waitFor(t, tm, "LINK")
	send(tm, runes("l"))
	waitFor(t, tm, "Link copied if your terminal supports it · o shows it")
	url := studio.GalleryURL("http://localhost:8080", g.Slug)
	b64 := base64.StdEncoding.EncodeToString([]byte(url))
	for _, want := range []string{"\x1b]52;c;" + b64 + "\a", "\x1bPtmux;\x1b\x1b]52;c;" + b64 + "\a\x1b\\"} {
		if !strings.Contains(clip.String(), want) {
			t.Errorf("terminal got %q, want %q in it", clip.String(), want)
		}
	}
	send(tm, runes("o"))
	waitFor(t, tm, "Select with the mouse")
	view := final(t, tm).View()
	if !strings.HasPrefix(view, url+" ") && !strings.HasPrefix(view, url+"\n") {
		t.Errorf("the plain view does not start with the link at the first column:\n%s", view)
	}
	for _, want := range []string{"\n482917", "Hello! Your photos from Smith wedding"} {
		if !strings.Contains(view, want) {
			t.Errorf("the plain view lacks %q:\n%s", want, view)
		}
	}
}

// A client login is sent from its own screen: the studio's address, the
// code and the message from the settings' template, each one key to copy.
func TestClients_SendALogin(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	if err := e.store.SetSetting(ctx, db.SettingBaseURL, "https://photos.example.com"); err != nil {
		t.Fatal(err)
	}
	name, code := "Anna Smith", "ANNA7K2QSMTH"
	if _, err := e.store.CreateClient(ctx, db.ClientInput{Name: &name, Code: &code}); err != nil {
		t.Fatal(err)
	}
	var clip lockedBuffer
	cfg := e.config()
	cfg.Output = &clip
	tm := teatest.NewTestModel(t, tui.New(cfg), teatest.WithInitialTermSize(80, 24))
	send(tm, runes("2"))
	waitFor(t, tm, "Anna Smith")
	send(tm, runes("s"))
	waitFor(t, tm, "Send the login of Anna Smith", "https://photos.example.com/", db.FormatCode(code), "Hello Anna Smith!")
	send(tm, runes("c"))
	waitFor(t, tm, "Access code copied if your terminal")
	send(tm, runes("m"))
	waitFor(t, tm, "Message copied")
	final(t, tm)
	for _, want := range []string{db.FormatCode(code), "Hello Anna Smith! Your galleries at Pinhole are waiting for you: https://photos.example.com/\nSign in with your access code: " + db.FormatCode(code)} {
		if !strings.Contains(clip.String(), base64.StdEncoding.EncodeToString([]byte(want))) {
			t.Errorf("%q was not copied", want)
		}
	}
}
