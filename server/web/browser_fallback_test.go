package web

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// typedAttr finds a typed attr() in CSS text; withoutTypedAttr renames
// it to noTypedAttr, a function no browser knows.
var typedAttr = regexp.MustCompile(`(^|[^\w-])attr\((\s*[\w-]+\s+type\()`)

const noTypedAttr = "typed-attr-off("

// typedAttrJS is typedAttr as a JavaScript RegExp with flags.
func typedAttrJS(flags string) string {
	p, _ := json.Marshal(typedAttr.String()) // a string always encodes
	return "new RegExp(" + string(p) + `, "` + flags + `")`
}

var sizesAuto = regexp.MustCompile(`sizes="auto\s*,\s*`)

// oldBrowser counts what it rewrote and keeps its first failure.
type oldBrowser struct {
	mu          sync.Mutex
	sheets, css int // stylesheets read, typed attr() renamed
	pages, auto int // pages and parts read, sizes="auto" taken out
	scripts     int // scripts held back
	images      []string
	err         error
}

// scriptLate is how long the tab holds each script back, as a slow
// connection or a busy phone does: the tiles in view start loading
// before site.js lays the rows out.
const scriptLate = 800 * time.Millisecond

// requested are the images the tab asked for so far, in order.
func (o *oldBrowser) requested() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.images...)
}

// withoutTypedAttr makes the tab ctx a browser without typed attr() and
// sizes="auto", as Safari is today (Firefox lacks typed attr() only), so
// that site.js lays the grid out. Chromium has no switch for either: the
// Blink runtime feature typed attr() shipped behind (CSSAdvancedAttrFunction)
// is gone from the installed version, so --disable-blink-features has
// nothing to turn off, and sizes="auto" never had one. Instead:
//
//   - every typed attr() in a stylesheet is renamed to a function no
//     browser knows (noTypedAttr) before Chromium reads it, so that a
//     @supports condition on it is false and a declaration using it is
//     dropped, as in those browsers;
//   - CSS.supports is given the same renamed text, from before the page's
//     own scripts run, so that site.js's probe answers false;
//   - "auto" is taken out of the sizes of the pages and of the grid parts
//     loaded later, which leaves what those browsers make of it.
//
// The tab fetches past the cache, so that each stylesheet is rewritten.
func withoutTypedAttr(ctx context.Context) (*oldBrowser, error) {
	o := &oldBrowser{}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *fetch.EventRequestPaused:
			go o.rewrite(cdp.WithExecutor(ctx, chromedp.FromContext(ctx).Target), e)
		case *network.EventRequestWillBeSent:
			if e.Type == network.ResourceTypeImage {
				o.mu.Lock()
				o.images = append(o.images, e.Request.URL)
				o.mu.Unlock()
			}
		}
	})
	shim := `(() => {
		const typed = ` + typedAttrJS("g") + `, supports = CSS.supports;
		CSS.supports = function (...args) {
			return supports.apply(CSS, args.map(a => String(a).replace(typed, "$1` + noTypedAttr + `$2")));
		};
	})();`
	stage := fetch.RequestStageResponse
	err := chromedp.Run(ctx,
		network.Enable(),
		network.SetCacheDisabled(true),
		chromedp.ActionFunc(func(ctx context.Context) error {
			_, err := page.AddScriptToEvaluateOnNewDocument(shim).Do(ctx)
			return err
		}),
		fetch.Enable().WithPatterns([]*fetch.RequestPattern{
			{URLPattern: "*", ResourceType: network.ResourceTypeStylesheet, RequestStage: stage},
			{URLPattern: "*", ResourceType: network.ResourceTypeDocument, RequestStage: stage},
			{URLPattern: "*", ResourceType: network.ResourceTypeFetch, RequestStage: stage},
			{URLPattern: "*", ResourceType: network.ResourceTypeScript, RequestStage: fetch.RequestStageRequest},
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("turn typed attr() off: %w", err)
	}
	return o, nil
}

// rewrite answers one paused response with its rewritten body, and lets
// a script go after scriptLate.
func (o *oldBrowser) rewrite(ctx context.Context, e *fetch.EventRequestPaused) {
	if e.ResourceType == network.ResourceTypeScript {
		time.Sleep(scriptLate)
		o.mu.Lock()
		o.scripts++
		o.mu.Unlock()
		o.fail(fetch.ContinueRequest(e.RequestID).Do(ctx))
		return
	}
	if e.ResponseStatusCode != 200 {
		o.fail(fetch.ContinueRequest(e.RequestID).Do(ctx))
		return
	}
	body, err := fetch.GetResponseBody(e.RequestID).Do(ctx)
	if err != nil {
		o.fail(fmt.Errorf("%s: %w", e.Request.URL, err))
		o.fail(fetch.ContinueRequest(e.RequestID).Do(ctx))
		return
	}
	text := string(body)
	o.mu.Lock()
	if e.ResourceType == network.ResourceTypeStylesheet {
		o.sheets++
		o.css += len(typedAttr.FindAllStringIndex(text, -1))
		text = typedAttr.ReplaceAllString(text, "${1}"+noTypedAttr+"${2}")
	} else {
		o.pages++
		o.auto += len(sizesAuto.FindAllStringIndex(text, -1))
		text = sizesAuto.ReplaceAllString(text, `sizes="`)
	}
	o.mu.Unlock()
	var headers []*fetch.HeaderEntry
	for _, h := range e.ResponseHeaders {
		switch strings.ToLower(h.Name) {
		case "content-length", "content-encoding": // the body is given decoded
		default:
			headers = append(headers, h)
		}
	}
	o.fail(fetch.FulfillRequest(e.RequestID, e.ResponseStatusCode).
		WithResponseHeaders(headers).
		WithBody(base64.StdEncoding.EncodeToString([]byte(text))).Do(ctx))
}

func (o *oldBrowser) fail(err error) {
	if err == nil || errors.Is(err, context.Canceled) {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.err == nil {
		o.err = err
	}
}

// check: the tab read a stylesheet and a page, and took typed attr() and
// sizes="auto" out of them.
func (o *oldBrowser) check() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	switch {
	case o.err != nil:
		return o.err
	case o.sheets == 0 || o.pages == 0 || o.scripts == 0:
		return fmt.Errorf("%d stylesheets and %d pages rewritten, %d scripts held back", o.sheets, o.pages, o.scripts)
	case o.css == 0:
		return errors.New("no typed attr() in the stylesheets: the grid no longer needs this test's switch")
	case o.auto == 0:
		return errors.New(`no sizes="auto" in the pages: the grid no longer needs this test's switch`)
	}
	return nil
}

// gridView is a window size, with the height of a row of tiles there
// (site.js's rowHeight).
type gridView struct {
	w, h int64
	dpr  float64
	row  float64
}

func (v gridView) String() string { return fmt.Sprintf("%dx%d@%g", v.w, v.h, v.dpr) }

// TestBrowser_GridFallback runs the grid as a browser without typed attr()
// and sizes="auto" shows it (Firefox and Safari), where site.js lays the
// rows out itself, at a phone and a desktop size and after the window
// changes (the phone turned, the desktop window made narrower): every full
// row fills the grid's width edge to edge with tiles of one height, the
// last row keeps the row height, every tile keeps its photo's shape, and
// every tile is drawn from a rendition with at least as many pixels as it
// covers (TestBrowser_SharpTiles's rule for the stylesheet's layout).
func TestBrowser_GridFallback(t *testing.T) {
	t.Parallel()
	// The photos are made first: the browser's time limit is for the browser.
	f := newFixture(t)
	g := f.cameraGallery("Fallback")
	base := f.serveReal(t)
	bctx := newBrowser(t)
	shape := map[string]float64{}
	for i, s := range cameraShapes {
		shape[fmt.Sprintf("p%02d.jpg", i)] = float64(s[0]) / float64(s[1])
	}
	for _, views := range [][2]gridView{
		{{390, 844, 3, 150}, {844, 390, 3, 240}},
		{{1440, 900, 1, 300}, {900, 900, 1, 240}},
	} {
		func() {
			ctx, cancel := chromedp.NewContext(bctx)
			defer cancel()
			old, err := withoutTypedAttr(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range views {
				tag := v.String()
				actions := []chromedp.Action{chromedp.EmulateViewport(v.w, v.h, chromedp.EmulateScale(v.dpr))}
				if i == 0 {
					actions = append(actions, chromedp.Navigate(base+"/g/"+g.Slug), chromedp.WaitVisible(`#grid`))
				} else {
					tag = views[0].String() + " then " + tag
				}
				// A resize event comes with the next frame, before its
				// animation callbacks.
				actions = append(actions, chromedp.Evaluate(`new Promise(r => requestAnimationFrame(() => r(true)))`, nil,
					func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
				if err := chromedp.Run(ctx, actions...); err != nil {
					t.Fatalf("%s: %v", tag, err)
				}
				if err := old.check(); err != nil {
					t.Fatalf("%s: %v", tag, err)
				}
				if err := loadTiles(ctx); err != nil {
					t.Fatalf("%s: %v", tag, err)
				}
				checkFallback(t, ctx, tag, v)
				drawn, err := measureGrid(ctx)
				if err != nil {
					t.Fatalf("%s: %v", tag, err)
				}
				if len(drawn.Tiles) != len(cameraShapes) {
					t.Fatalf("%s: %d tiles, want %d", tag, len(drawn.Tiles), len(cameraShapes))
				}
				checkJustified(t, tag, drawn, v.row, shape)
				// After a resize Chromium keeps a larger picture it has
				// rather than fetch a smaller one.
				most := 2.0
				if i > 0 {
					most = 0
				}
				checkSharp(t, tag, base, drawn.Tiles, v.dpr, most)
				if i == 0 {
					checkFirstRequests(t, tag, base, drawn.Tiles, old.requested(), v.dpr)
				}
			}
		}()
	}
}

// checkFirstRequests: no tile's image was ever asked for at more than
// twice the pixels across it covers (unless at the smallest there is),
// even before the script laid the rows out and gave each image its width.
func checkFirstRequests(t *testing.T, tag, base string, tiles []tileDraw, requested []string, dpr float64) {
	t.Helper()
	seen := 0
	for _, tl := range tiles {
		smallest := tl.Largest
		for _, w := range tl.Set {
			smallest = min(smallest, w)
		}
		covered := tl.CSS * dpr
		for _, u := range requested {
			w, ok := tl.Set[u]
			if ok {
				seen++
			}
			if ok && w > smallest && float64(w) > 2*covered {
				t.Errorf("%s: %s, %.0f device px wide, was asked for at %d px (%.2f×): %s", tag, tl.Name, covered, w, float64(w)/covered, strings.TrimPrefix(u, base))
			}
		}
	}
	if seen < len(tiles) {
		t.Errorf("%s: %d requests for %d tiles seen", tag, seen, len(tiles))
	}
}

// checkFallback: the page sees no typed attr() and site.js laid the rows
// out.
func checkFallback(t *testing.T, ctx context.Context, tag string, v gridView) {
	t.Helper()
	var st struct {
		Supports, Script bool
		Typed            []string
		Width            float64
	}
	js := `(() => {
		const typed = ` + typedAttrJS("") + `, found = [];
		const walk = rules => { for (const r of rules) { if (r.cssRules) walk(r.cssRules); else if (typed.test(r.cssText)) found.push(r.cssText); } };
		for (const s of document.styleSheets) walk(s.cssRules);
		return { Supports: CSS.supports("flex-grow", "attr(data-r type(<number>))"),
			Script: document.getElementById("grid").classList.contains("justified"),
			Typed: found, Width: innerWidth };
	})()`
	if err := chromedp.Run(ctx, chromedp.Evaluate(js, &st)); err != nil {
		t.Fatalf("%s: %v", tag, err)
	}
	if st.Supports {
		t.Errorf("%s: CSS.supports still answers true for typed attr()", tag)
	}
	for _, r := range st.Typed {
		t.Errorf("%s: a rule with typed attr() is still in force: %s", tag, r)
	}
	if !st.Script {
		t.Errorf("%s: site.js did not lay the rows out", tag)
	}
	if st.Width != float64(v.w) {
		t.Errorf("%s: the window is %g px wide", tag, st.Width)
	}
}

// checkJustified: the tiles make rows that fill the grid edge to edge
// (within 2 px), each of one height; the last row keeps the row height
// rather than stretching; each tile keeps its photo's shape (within 1%).
func checkJustified(t *testing.T, tag string, g gridDraw, row float64, shape map[string]float64) {
	t.Helper()
	var rows [][]tileDraw
	for _, tl := range g.Tiles {
		want, ok := shape[tl.Name]
		if !ok {
			t.Fatalf("%s: a tile of an unknown photo %q", tag, tl.Name)
		}
		if got := tl.W / tl.H; math.Abs(got/want-1) > 0.01 {
			t.Errorf("%s: %s drawn %.1f×%.1f, shape %.3f instead of %.3f", tag, tl.Name, tl.W, tl.H, got, want)
		}
		if n := len(rows); n > 0 && math.Abs(rows[n-1][0].Y-tl.Y) < 1 {
			rows[n-1] = append(rows[n-1], tl)
		} else {
			rows = append(rows, []tileDraw{tl})
		}
	}
	for i, r := range rows {
		first, last := r[0], r[len(r)-1]
		t.Logf("%s row %d: %d tiles, %.1f px high, from %.1f to %.1f (grid %.1f to %.1f)", tag, i, len(r), first.H, first.X, last.X+last.W, g.Left, g.Right)
		for _, tl := range r[1:] {
			if math.Abs(tl.H-first.H) > 2 {
				t.Errorf("%s row %d: %s is %.1f px high, %s %.1f", tag, i, tl.Name, tl.H, first.Name, first.H)
			}
		}
		if i == len(rows)-1 {
			if math.Abs(first.H-row) > 1.5 {
				t.Errorf("%s: the last row is %.1f px high, not the row height %g", tag, first.H, row)
			}
			if last.X+last.W > g.Right+2 {
				t.Errorf("%s: the last row ends at %.1f, past the grid's edge %.1f", tag, last.X+last.W, g.Right)
			}
			continue
		}
		if math.Abs(first.X-g.Left) > 2 || math.Abs(last.X+last.W-g.Right) > 2 {
			t.Errorf("%s row %d: from %.1f to %.1f, not edge to edge of the grid (%.1f to %.1f)", tag, i, first.X, last.X+last.W, g.Left, g.Right)
		}
	}
	if len(rows) < 2 {
		t.Errorf("%s: %d rows: no full row to check", tag, len(rows))
	}
}
