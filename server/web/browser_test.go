package web

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pinhole/db"
	"pinhole/internal/testio"
)

// chromium finds the browser. Without one the browser tests skip, except
// in CI (CI set), where they must run.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	testio.Missing(t, "chromium is not installed (.ci/run installs it)")
	return ""
}

// downloadZip runs actions in a browser that saves downloads into dir,
// waits for the download they start and opens it as a ZIP.
func downloadZip(t *testing.T, bctx context.Context, dir, what string, actions ...chromedp.Action) *zip.ReadCloser {
	t.Helper()
	done := make(chan string, 1)
	chromedp.ListenTarget(bctx, func(ev any) {
		if e, ok := ev.(*browser.EventDownloadProgress); ok && e.State == browser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	})
	err := chromedp.Run(bctx, append([]chromedp.Action{
		browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true),
	}, actions...)...)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var guid string
	select {
	case guid = <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: the download did not complete", what)
	}
	zr, err := zip.OpenReader(filepath.Join(dir, guid))
	if err != nil {
		t.Fatalf("%s: downloaded ZIP: %v", what, err)
	}
	return zr
}

// artifacts is where screenshots go: $PINHOLE_ARTIFACTS, else a temp dir.
func artifacts(t *testing.T) string {
	if d := os.Getenv("PINHOLE_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// newBrowser starts headless Chromium for one test.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	// Chromium's helpers may still write to the profile after the browser
	// exits, so it is removed best-effort rather than with t.TempDir.
	profile, err := os.MkdirTemp("", "pinhole-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for range 20 {
			if os.RemoveAll(profile) == nil {
				return
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1440, 900),
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx, chromedp.WithErrorf(func(format string, args ...any) {
		if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unhandled node event") {
			t.Logf("chromedp: %s", msg)
		}
	}))
	t.Cleanup(cancel2)
	// A bound on a browser test that hangs; generous, for the race detector
	// and browser tests in parallel on two cores.
	ctx, cancel3 := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancel3)
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

// serveReal serves the fixture's handler with Serve on a real 127.0.0.1
// listener, as pinhole serve does, and returns its base URL.
func (f *fixture) serveReal(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, f.h, slog.New(slog.NewTextHandler(io.Discard, nil))) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

func screenshot(t *testing.T, ctx context.Context, dir, name string) {
	t.Helper()
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBrowser_Journey: a client opens the link, types a wrong PIN, then the
// right one, sees every grid image load, uses the viewer with the keyboard
// and downloads everything as a valid ZIP. Screenshots at phone and
// desktop sizes go to $PINHOLE_ARTIFACTS.
func TestBrowser_Journey(t *testing.T) {
	t.Parallel()
	bctx := newBrowser(t)
	f := newFixture(t)
	if err := f.store.SetSetting(context.Background(), db.SettingStudioName, "Lumen Studio"); err != nil {
		t.Fatal(err)
	}
	g := f.gallery("Anna & Ben — Wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("482915"),
		EventDate: new("2026-06-14"), Description: new("A summer day by the lake. Thank you for having us!")})
	for _, p := range testPhotos {
		f.addPhoto(g, p)
	}
	base := f.serveReal(t)
	dir := artifacts(t)
	dl := t.TempDir()
	link := base + "/g/" + g.Slug

	var msg, counter string
	var hidden bool
	var loaded, total int
	allLoaded := `(() => { const imgs = [...document.querySelectorAll("#grid img")];
		return imgs.filter(i => i.complete && i.naturalWidth > 0).length + "/" + imgs.length })()`
	for _, size := range [][2]int64{{390, 844}, {1440, 900}} {
		tag := fmt.Sprintf("%dx%d", size[0], size[1])
		ctx, cancel := chromedp.NewContext(bctx) // a new tab; cookies are cleared below
		defer cancel()
		err := chromedp.Run(ctx,
			network.ClearBrowserCookies(),
			chromedp.EmulateViewport(size[0], size[1]),
			chromedp.Navigate(link),
			chromedp.WaitVisible(`#pin`),
		)
		if err != nil {
			t.Fatalf("%s: open link: %v", tag, err)
		}
		screenshot(t, ctx, dir, "pin-"+tag)
		err = chromedp.Run(ctx,
			chromedp.SendKeys(`#pin`, "000000"),
			chromedp.Submit(`#pin`),
			chromedp.WaitVisible(`#pin-message`),
			chromedp.Text(`#pin-message`, &msg),
		)
		if err != nil {
			t.Fatalf("%s: wrong PIN: %v", tag, err)
		}
		if !strings.Contains(msg, "not right") {
			t.Fatalf("%s: wrong PIN message %q", tag, msg)
		}
		screenshot(t, ctx, dir, "pin-wrong-"+tag)
		err = chromedp.Run(ctx,
			chromedp.SendKeys(`#pin`, "482915"),
			chromedp.Submit(`#pin`),
			chromedp.WaitVisible(`#grid`),
			// Bring every lazy image into view, then wait for all to load.
			chromedp.Evaluate(`window.scrollTo(0, document.body.scrollHeight)`, nil),
		)
		if err != nil {
			t.Fatalf("%s: right PIN: %v", tag, err)
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			var s string
			if err := chromedp.Run(ctx, chromedp.Evaluate(allLoaded, &s)); err != nil {
				t.Fatal(err)
			}
			fmt.Sscanf(s, "%d/%d", &loaded, &total)
			if total == len(testPhotos) && loaded == total {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: grid images loaded: %s", tag, s)
			}
			time.Sleep(100 * time.Millisecond)
		}
		chromedp.Run(ctx, chromedp.Evaluate(`window.scrollTo(0, 0)`, nil))
		screenshot(t, ctx, dir, "gallery-"+tag)

		// The viewer: open, ArrowRight moves on, Esc closes.
		err = chromedp.Run(ctx,
			chromedp.Click(`#grid li:first-child a`),
			chromedp.WaitVisible(`.viewer`),
			chromedp.Text(`.viewer .counter`, &counter),
		)
		if err != nil || counter != fmt.Sprintf("1 / %d", len(testPhotos)) {
			t.Fatalf("%s: viewer open: %q %v", tag, counter, err)
		}
		err = chromedp.Run(ctx,
			chromedp.KeyEvent(kb.ArrowRight),
			chromedp.Text(`.viewer .counter`, &counter),
		)
		if err != nil || counter != fmt.Sprintf("2 / %d", len(testPhotos)) {
			t.Fatalf("%s: ArrowRight: %q %v", tag, counter, err)
		}
		waitImage := `(() => { const i = document.querySelector(".viewer .stage img"); return i.complete && i.naturalWidth > 0 })()`
		for deadline := time.Now().Add(10 * time.Second); ; {
			var ok bool
			chromedp.Run(ctx, chromedp.Evaluate(waitImage, &ok))
			if ok || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		screenshot(t, ctx, dir, "viewer-"+tag)
		err = chromedp.Run(ctx,
			chromedp.KeyEvent(kb.Escape),
			chromedp.WaitNotVisible(`.viewer`),
			chromedp.Evaluate(`document.querySelector(".viewer").hidden`, &hidden),
		)
		if err != nil || !hidden {
			t.Fatalf("%s: Esc: hidden %v, %v", tag, hidden, err)
		}
	}

	// "Download all" in the browser gives a valid ZIP.
	zr := downloadZip(t, bctx, dl, "download all",
		chromedp.Navigate(link),
		chromedp.WaitVisible(`#grid`),
		chromedp.Click(`a.button[href$="/zip"]`),
	)
	defer zr.Close()
	if len(zr.File) != len(testPhotos) {
		t.Fatalf("ZIP has %d entries, want %d", len(zr.File), len(testPhotos))
	}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, rc); err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		rc.Close()
	}
	t.Logf("screenshots in %s", dir)
}
