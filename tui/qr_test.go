package tui_test

import (
	"context"
	"encoding/base64"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"pinhole/db"
	"pinhole/studio"
	"pinhole/tui"
)

// decodeQR reads the QR code a frame shows: each cell is two modules high
// (█ ▀ ▄ are dark halves), drawn into an image and read by a decoder.
func decodeQR(t *testing.T, frame string) string {
	t.Helper()
	const px = 4 // pixels per module
	lines := strings.Split(ansi.Strip(frame), "\n")
	w := 0
	for _, l := range lines {
		w = max(w, ansi.StringWidth(l))
	}
	img := image.NewGray(image.Rect(0, 0, (w+8)*px, (len(lines)*2+8)*px))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	paint := func(cx, my int) {
		for y := range px {
			for x := range px {
				img.SetGray((cx+4)*px+x, (my+4)*px+y, color.Gray{})
			}
		}
	}
	for y, l := range lines {
		x := 0
		for _, r := range l {
			if r == '█' || r == '▀' {
				paint(x, 2*y)
			}
			if r == '█' || r == '▄' {
				paint(x, 2*y+1)
			}
			x += ansi.StringWidth(string(r))
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_PURE_BARCODE: false})
	if err != nil {
		t.Fatalf("no QR code read from the screen: %v\n%s", err, ansi.Strip(frame))
	}
	return res.GetText()
}

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
		if got := decodeQR(t, final(t, tm).View()); got != link {
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
