package web

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pinhole/db"
)

// tileDraw is one grid tile as the browser drew it.
type tileDraw struct {
	Src            string  `json:"src"`
	Natural        int     `json:"natural"` // the picture's pixels across
	CSS            float64 `json:"css"`     // the tile's width in CSS pixels
	Visible, Phone bool
}

// TestBrowser_SharpTiles measures the grid in Chromium at a phone, a tablet
// and a desktop size: every tile is drawn from a rendition with at least
// as many pixels as the tile covers on the screen, and at most twice as
// many (across), so tiles are sharp without fetching the preview for a
// small tile.
func TestBrowser_SharpTiles(t *testing.T) {
	t.Parallel()
	bctx := newBrowser(t)
	f := newFixture(t)
	g := f.gallery("Sharp", db.GalleryInput{Access: new(db.Public)})
	// Camera shapes, each larger than the preview.
	shapes := [][2]int{{2400, 1600}, {1600, 2400}, {2400, 1800}, {2400, 1600}, {2200, 2200}, {1800, 2400}, {2400, 1600}, {2400, 1350}, {2400, 1600}, {1600, 2400}, {2400, 1800}, {2400, 1600}}
	for i, s := range shapes {
		f.bigPhoto(g, fmt.Sprintf("p%02d.jpg", i), s[0], s[1])
	}
	base := f.serveReal(t)
	// The picture's own width is its srcset entry's w descriptor
	// (naturalWidth is scaled by the density the browser chose).
	measure := `(() => JSON.stringify([...document.querySelectorAll("#grid img")].map(i => {
		const w = i.srcset.split(",").map(s => s.trim().split(/\s+/)).
			find(([u]) => new URL(u, location.href).href === i.currentSrc);
		return { src: i.currentSrc, natural: w ? parseInt(w[1]) : -1, css: i.getBoundingClientRect().width };
	})))()`
	allLoaded := `(() => { const imgs = [...document.querySelectorAll("#grid img")];
		return imgs.length > 0 && imgs.every(i => i.complete && i.naturalWidth > 0) })()`
	for _, vp := range []struct {
		w, h int64
		dpr  float64
	}{{390, 844, 3}, {768, 1024, 2}, {1440, 900, 1}} {
		tag := fmt.Sprintf("%dx%d@%g", vp.w, vp.h, vp.dpr)
		ctx, cancel := chromedp.NewContext(bctx)
		err := chromedp.Run(ctx,
			network.ClearBrowserCache(),
			chromedp.EmulateViewport(vp.w, vp.h, chromedp.EmulateScale(vp.dpr)),
			chromedp.Navigate(base+"/g/"+g.Slug),
			chromedp.WaitVisible(`#grid`),
		)
		if err != nil {
			cancel()
			t.Fatalf("%s: %v", tag, err)
		}
		// Scroll down step by step so that every lazy tile loads.
		deadline := time.Now().Add(30 * time.Second)
		for {
			var ok bool
			chromedp.Run(ctx, chromedp.Evaluate(`window.scrollBy(0, window.innerHeight); true`, &ok),
				chromedp.Evaluate(allLoaded, &ok))
			if ok {
				break
			}
			if time.Now().After(deadline) {
				cancel()
				t.Fatalf("%s: tiles did not load", tag)
			}
			time.Sleep(150 * time.Millisecond)
		}
		var js string
		// Chromium lays the rows out from the stylesheet (typed attr()), so
		// the script's second layout of every tile, which Lighthouse counted
		// as blocking time on a phone, does not happen.
		var byCSS bool
		if err := chromedp.Run(ctx, chromedp.Evaluate(measure, &js),
			chromedp.Evaluate(`(() => { const g = document.getElementById("grid");
				return getComputedStyle(g).display === "flex" && !g.classList.contains("justified") })()`, &byCSS)); err != nil {
			cancel()
			t.Fatal(err)
		}
		cancel()
		if !byCSS {
			t.Errorf("%s: the rows were not justified by the stylesheet", tag)
		}
		var tiles []tileDraw
		if err := json.Unmarshal([]byte(js), &tiles); err != nil {
			t.Fatal(err)
		}
		if len(tiles) != len(shapes) {
			t.Fatalf("%s: %d tiles", tag, len(tiles))
		}
		for i, tl := range tiles {
			covered := tl.CSS * vp.dpr
			ratio := float64(tl.Natural) / covered
			t.Logf("%s tile %d: %.0f device px wide from %d px (%.2f×) %s", tag, i, covered, tl.Natural, ratio, tl.Src[len(base):])
			if float64(tl.Natural) < covered-1 {
				t.Errorf("%s tile %d: %.0f device px drawn from %d px: blurred", tag, i, covered, tl.Natural)
			}
			if ratio > 2 {
				t.Errorf("%s tile %d: %.0f device px drawn from %d px: %.2f× more than needed", tag, i, covered, tl.Natural, ratio)
			}
		}
	}
}
