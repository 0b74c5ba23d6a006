package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pinhole/db"
)

// tileDraw is one grid tile as the browser drew it (lengths in CSS
// pixels, positions on the page).
type tileDraw struct {
	Name    string  `json:"name"`    // the photo's file name (the image's alt)
	Src     string  `json:"src"`     // the rendition drawn
	Natural int     `json:"natural"` // the rendition's pixels across
	Largest int     `json:"largest"` // the largest rendition's, in srcset
	CSS     float64 `json:"css"`     // the image's width
	// Set is the image's srcset: each rendition's URL and pixels across.
	Set map[string]int `json:"set"`
	// The tile as seen: its link's box, which clips the image.
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// gridDraw is the grid as the browser drew it: its tiles, and the left
// and right edges of its content box.
type gridDraw struct {
	Left  float64    `json:"left"`
	Right float64    `json:"right"`
	Tiles []tileDraw `json:"tiles"`
}

// measureGridJS measures the grid. The picture's own width is its srcset
// entry's w descriptor (naturalWidth is scaled by the density the browser
// chose).
const measureGridJS = `(() => {
	const g = document.getElementById("grid"), gr = g.getBoundingClientRect(), cs = getComputedStyle(g);
	return JSON.stringify({
		left: gr.left + scrollX + parseFloat(cs.paddingLeft),
		right: gr.right + scrollX - parseFloat(cs.paddingRight),
		tiles: [...g.querySelectorAll("img")].map(i => {
			const set = i.srcset.split(",").map(s => s.trim().split(/\s+/)),
				w = set.find(([u]) => new URL(u, location.href).href === i.currentSrc);
			const a = i.closest("a").getBoundingClientRect();
			return { name: i.alt, src: i.currentSrc, natural: w ? parseInt(w[1]) : -1,
				largest: Math.max(...set.map(([, d]) => parseInt(d))), css: i.getBoundingClientRect().width,
				set: Object.fromEntries(set.map(([u, d]) => [new URL(u, location.href).href, parseInt(d)])),
				x: a.left + scrollX, y: a.top + scrollY, w: a.width, h: a.height };
		}),
	});
})()`

// loadTiles scrolls down the page step by step until every lazy tile has
// loaded the rendition it chose.
func loadTiles(ctx context.Context) error {
	allLoaded := `(() => { const imgs = [...document.querySelectorAll("#grid img")];
		return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) })()`
	if err := chromedp.Run(ctx, chromedp.Evaluate(`window.scrollTo(0, 0); true`, nil)); err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		var ok bool
		err := chromedp.Run(ctx, chromedp.Evaluate(`window.scrollBy(0, window.innerHeight); true`, &ok),
			chromedp.Evaluate(allLoaded, &ok))
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("tiles did not load")
		}
		time.Sleep(150 * time.Millisecond)
	}
}

// measureGrid measures the grid as drawn now.
func measureGrid(ctx context.Context) (gridDraw, error) {
	var js string
	var g gridDraw
	if err := chromedp.Run(ctx, chromedp.Evaluate(measureGridJS, &js)); err != nil {
		return g, fmt.Errorf("measure the grid: %w", err)
	}
	if err := json.Unmarshal([]byte(js), &g); err != nil {
		return g, fmt.Errorf("measure the grid: %w", err)
	}
	return g, nil
}

// checkSharp: every tile is drawn from a rendition with at least as many
// pixels as it covers on a screen of dpr device pixels per CSS pixel (or
// from the largest there is), and, unless most is 0, at most most times as
// many (across).
func checkSharp(t *testing.T, tag, base string, tiles []tileDraw, dpr, most float64) {
	t.Helper()
	for i, tl := range tiles {
		covered := tl.CSS * dpr
		ratio := float64(tl.Natural) / covered
		t.Logf("%s tile %d: %.0f device px wide from %d px (%.2f×) %s", tag, i, covered, tl.Natural, ratio, strings.TrimPrefix(tl.Src, base))
		if float64(tl.Natural) < covered-1 && tl.Natural < tl.Largest {
			t.Errorf("%s tile %d: %.0f device px drawn from %d px: blurred", tag, i, covered, tl.Natural)
		}
		if most > 0 && ratio > most {
			t.Errorf("%s tile %d: %.0f device px drawn from %d px: %.2f× more than needed", tag, i, covered, tl.Natural, ratio)
		}
	}
}

// cameraShapes are photos of camera shapes, each larger than the preview.
var cameraShapes = [][2]int{{2400, 1600}, {1600, 2400}, {2400, 1800}, {2400, 1600}, {2200, 2200}, {1800, 2400}, {2400, 1600}, {2400, 1350}, {2400, 1600}, {1600, 2400}, {2400, 1800}, {2400, 1600}}

// cameraGallery is a public gallery of cameraShapes, named p00.jpg,
// p01.jpg and so on.
func (f *fixture) cameraGallery(title string) db.Gallery {
	g := f.gallery(title, db.GalleryInput{Access: new(db.Public)})
	for i, s := range cameraShapes {
		f.bigPhoto(g, fmt.Sprintf("p%02d.jpg", i), s[0], s[1])
	}
	return g
}

// TestBrowser_SharpTiles measures the grid in Chromium at a phone, a tablet
// and a desktop size: every tile is drawn from a rendition with at least
// as many pixels as the tile covers on the screen, and at most twice as
// many (across), so tiles are sharp without fetching the preview for a
// small tile; and no larger one was asked for first. The desktop size is
// tried again as on a busy machine (the CPU four times slower, the
// stylesheet a second late), where tiles could start loading before the
// rows are laid out.
func TestBrowser_SharpTiles(t *testing.T) {
	t.Parallel()
	// The photos are made first: the browser's time limit is for the browser.
	f := newFixture(t)
	g := f.cameraGallery("Sharp")
	base := f.serveReal(t)
	bctx := newBrowser(t)
	for _, vp := range []struct {
		w, h int64
		dpr  float64
		busy bool
	}{{390, 844, 3, false}, {768, 1024, 2, false}, {1440, 900, 1, false}, {1440, 900, 1, true}} {
		tag := fmt.Sprintf("%dx%d@%g", vp.w, vp.h, vp.dpr)
		ctx, cancel := chromedp.NewContext(bctx)
		var mu sync.Mutex
		var requested []string
		held := 0 // stylesheets held back
		chromedp.ListenTarget(ctx, func(ev any) {
			switch e := ev.(type) {
			case *network.EventRequestWillBeSent:
				if e.Type == network.ResourceTypeImage {
					mu.Lock()
					requested = append(requested, e.Request.URL)
					mu.Unlock()
				}
			case *fetch.EventRequestPaused: // a stylesheet, late
				mu.Lock()
				held++
				mu.Unlock()
				go func() {
					time.Sleep(time.Second)
					fetch.ContinueRequest(e.RequestID).Do(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Target))
				}()
			}
		})
		actions := []chromedp.Action{network.Enable(), network.ClearBrowserCache()}
		if vp.busy {
			tag += " busy"
			actions = append(actions, emulation.SetCPUThrottlingRate(4),
				fetch.Enable().WithPatterns([]*fetch.RequestPattern{{URLPattern: "*", ResourceType: network.ResourceTypeStylesheet}}))
		}
		err := chromedp.Run(ctx, append(actions,
			chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateScale(vp.dpr)),
			chromedp.Navigate(base+"/g/"+g.Slug),
			chromedp.WaitVisible(`#grid`),
		)...)
		if err != nil {
			cancel()
			t.Fatalf("%s: %v", tag, err)
		}
		if err := loadTiles(ctx); err != nil {
			cancel()
			t.Fatalf("%s: %v", tag, err)
		}
		// Chromium lays the rows out from the stylesheet (typed attr()), so
		// the script's second layout of every tile, which Lighthouse counted
		// as blocking time on a phone, does not happen.
		drawn, err := measureGrid(ctx)
		if err != nil {
			cancel()
			t.Fatalf("%s: %v", tag, err)
		}
		var byCSS bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(`(() => { const g = document.getElementById("grid");
				return getComputedStyle(g).display === "flex" && !g.classList.contains("justified") })()`, &byCSS)); err != nil {
			cancel()
			t.Fatal(err)
		}
		cancel()
		if !byCSS {
			t.Errorf("%s: the rows were not justified by the stylesheet", tag)
		}
		if len(drawn.Tiles) != len(cameraShapes) {
			t.Fatalf("%s: %d tiles", tag, len(drawn.Tiles))
		}
		checkSharp(t, tag, base, drawn.Tiles, vp.dpr, 2)
		mu.Lock()
		if vp.busy && held == 0 {
			t.Errorf("%s: no stylesheet was held back", tag)
		}
		checkFirstRequests(t, tag, base, drawn.Tiles, requested, vp.dpr)
		mu.Unlock()
	}
}
