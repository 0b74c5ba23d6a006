package web

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pinhole/db"
	"pinhole/internal/testio"
)

// axeSource reads axe-core's script: $PINHOLE_AXE, else the copy CI
// installs with npm into the user's cache. Without it the accessibility
// tests skip, except in CI.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("PINHOLE_AXE")
	if path == "" {
		if dir, err := os.UserCacheDir(); err == nil {
			path = filepath.Join(dir, "pinhole-npm", "node_modules", "axe-core", "axe.min.js")
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		testio.Missing(t, "axe-core is not installed (%v): .ci/run installs it with npm", err)
	}
	return string(b)
}

// axeViolation is one rule axe-core found broken, with where.
type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		Target []any  `json:"target"`
		HTML   string `json:"html"`
	} `json:"nodes"`
}

// axeCheck runs axe-core on the page the tab shows (DevTools evaluation is
// not held to the page's Content-Security-Policy) and fails on any
// violation of the WCAG 2.x A and AA rules and axe's best practices.
func axeCheck(t *testing.T, ctx context.Context, src, page string) {
	t.Helper()
	var res string
	err := chromedp.Run(ctx,
		chromedp.Evaluate(src+";true", nil),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`, &res,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }),
	)
	if err != nil {
		t.Fatalf("%s: axe: %v", page, err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(res), &vs); err != nil {
		t.Fatalf("%s: axe result: %v", page, err)
	}
	for _, v := range vs {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, n.HTML)
		}
		t.Errorf("%s: %s (%s): %s", page, v.ID, v.Help, strings.Join(where, " | "))
	}
}

// TestBrowser_Accessible: axe-core finds nothing on the home page, the PIN
// page, a gallery, the viewer and a client's dashboard, at phone and
// desktop sizes; the viewer is reached, walked and closed from the
// keyboard alone, with the focus visible.
func TestBrowser_Accessible(t *testing.T) {
	t.Parallel()
	src := axeSource(t)
	bctx := newBrowser(t)
	f := newClientFixture(t)
	ctx := context.Background()
	f.store.SetSetting(ctx, db.SettingStudioName, "Lumen Studio")
	g := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("246810"), EventDate: new("2026-06-14"),
		Description: new("A summer day by the lake.")})
	set := f.gallery("Ceremony", db.GalleryInput{Parent: new(g.Slug)})
	for _, p := range testPhotos {
		f.addPhoto(g, p)
	}
	f.addPhoto(set, testPhotos[0])
	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna Smith"), Code: new("K7QP-2MXD-9RTW")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Grant(ctx, cl.ID, g.Slug); err != nil {
		t.Fatal(err)
	}
	base := f.serveReal(t)

	for _, vp := range [][2]int64{{390, 844}, {1440, 900}} {
		tag := map[int64]string{390: "phone", 1440: "desktop"}[vp[0]]
		tab, cancel := chromedp.NewContext(bctx)
		defer cancel()
		if err := chromedp.Run(tab, network.ClearBrowserCookies(), chromedp.EmulateViewport(vp[0], vp[1])); err != nil {
			t.Fatal(err)
		}
		run := func(what string, actions ...chromedp.Action) {
			t.Helper()
			if err := chromedp.Run(tab, actions...); err != nil {
				t.Fatalf("%s %s: %v", tag, what, err)
			}
		}
		run("home", chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#code`))
		axeCheck(t, tab, src, tag+" home")
		run("PIN page", chromedp.Navigate(base+"/g/"+g.Slug), chromedp.WaitVisible(`#pin`))
		axeCheck(t, tab, src, tag+" PIN page")
		run("wrong PIN", chromedp.SendKeys(`#pin`, "000000"), chromedp.Submit(`#pin`), chromedp.WaitVisible(`#pin-message`))
		axeCheck(t, tab, src, tag+" PIN page with its message")
		run("gallery", chromedp.SendKeys(`#pin`, "246810"), chromedp.Submit(`#pin`), chromedp.WaitVisible(`#grid`))
		axeCheck(t, tab, src, tag+" gallery")

		// Keyboard only: Tab reaches the first photo with a visible
		// focus, Enter opens the viewer, arrows walk, Escape closes and
		// gives the focus back to the photo.
		var focusVisible bool
		var counter string
		for range 40 {
			run("tab", chromedp.KeyEvent(kb.Tab))
			var onPhoto bool
			run("focus", chromedp.Evaluate(`!!(document.activeElement && document.activeElement.matches("#grid li a"))`, &onPhoto))
			if onPhoto {
				break
			}
		}
		run("focus ring", chromedp.Evaluate(`(() => { const a = document.activeElement; if (!a.matches("#grid li a")) return false;
			const s = getComputedStyle(a); return a.matches(":focus-visible") && s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2 })()`, &focusVisible))
		if !focusVisible {
			var where string
			run("focus", chromedp.Evaluate(`(() => { const a = document.activeElement; const s = getComputedStyle(a);
				return a.outerHTML.slice(0, 120) + " outline " + s.outlineStyle + " " + s.outlineWidth })()`, &where))
			t.Fatalf("%s: Tab does not reach a photo with a visible focus ring: focus on %s", tag, where)
		}
		run("enter", pressEnter())
		run("viewer", chromedp.WaitVisible(`.viewer`), chromedp.KeyEvent(kb.ArrowRight),
			chromedp.Text(`.viewer .counter`, &counter))
		if !strings.HasPrefix(counter, "2 / ") {
			t.Errorf("%s: viewer from the keyboard shows %q", tag, counter)
		}
		axeCheck(t, tab, src, tag+" viewer")
		var back bool
		run("close", chromedp.KeyEvent(kb.Escape), chromedp.WaitNotVisible(`.viewer`),
			chromedp.Evaluate(`document.activeElement.matches("#grid li a")`, &back))
		if !back {
			t.Errorf("%s: closing the viewer loses the focus", tag)
		}

		run("login", network.ClearBrowserCookies(), chromedp.Navigate(base+"/"), chromedp.WaitVisible(`#code`),
			chromedp.SendKeys(`#code`, "K7QP2MXD9RTW"), chromedp.Submit(`#code`), chromedp.WaitVisible(`a.card`))
		axeCheck(t, tab, src, tag+" dashboard")
		run("home, logged in", chromedp.Navigate(base+"/"), chromedp.WaitReady(`body`))
		axeCheck(t, tab, src, tag+" home, logged in")
	}
}

// pressEnter presses Enter as a keyboard does: one key down (with its
// text, which makes the keypress that activates a link) and up.
// chromedp.KeyEvent also sends a separate char event, a second keypress,
// which activates the link twice.
func pressEnter() chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		down := input.DispatchKeyEvent(input.KeyDown).WithKey("Enter").WithCode("Enter").
			WithWindowsVirtualKeyCode(13).WithNativeVirtualKeyCode(13).WithText("\r").WithUnmodifiedText("\r")
		if err := down.Do(ctx); err != nil {
			return err
		}
		return input.DispatchKeyEvent(input.KeyUp).WithKey("Enter").WithCode("Enter").
			WithWindowsVirtualKeyCode(13).WithNativeVirtualKeyCode(13).Do(ctx)
	})
}
