package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"pinhole/db"
)

// photoRows records n photos in a gallery without files: enough for the
// pages, which never open a photo file.
func (f *fixture) photoRows(g db.Gallery, n int) []db.Photo {
	f.t.Helper()
	rows := make([]db.Photo, n)
	for i := range rows {
		rows[i] = db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%05d.JPG", i+1),
			SHA256: fmt.Sprintf("%064x", i+1), Bytes: 8 << 20, Width: 6000, Height: 4000}
	}
	ps, err := f.store.AddPhotos(context.Background(), rows)
	if err != nil {
		f.t.Fatal(err)
	}
	return ps
}

var (
	tileLink = regexp.MustCompile(`<li[^>]*><a href="/g/[a-z0-9-]+/p/([0-9]+)"`)
	nextLink = regexp.MustCompile(`<a href="([^"]+)" rel="next"`)
)

// tileIDs are the photos a page's grid shows, in order.
func tileIDs(t *testing.T, body []byte) []int64 {
	t.Helper()
	var out []int64
	for _, m := range tileLink.FindAllSubmatch(body, -1) {
		id, err := strconv.ParseInt(string(m[1]), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	return out
}

// TestGallery_LargePages: a 10,000-photo gallery's page holds one page of
// tiles, under 150 kB gzipped, and following "Next page" (no script)
// reaches every photo once, in order.
func TestGallery_LargePages(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	g := f.gallery("Big", db.GalleryInput{Access: new(db.Public)})
	ps := f.photoRows(g, 10000)
	c := f.client()

	resp, zbody := f.do(c, "GET", "/g/"+g.Slug, nil, http.Header{"Accept-Encoding": {"gzip"}})
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("first page: %d %v", resp.StatusCode, resp.Header)
	}
	if len(zbody) > 150_000 {
		t.Errorf("first page is %d bytes gzipped, want under 150 kB", len(zbody))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zbody))
	if err != nil {
		t.Fatal(err)
	}
	first, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tileIDs(t, first)); n != gridPage {
		t.Errorf("first page shows %d photos, want %d", n, gridPage)
	}
	if !bytes.Contains(first, []byte(`data-count="10000"`)) || !bytes.Contains(first, []byte("Photos 1–<span class=\"last\">200</span> of 10000")) {
		t.Errorf("first page does not say how many photos there are")
	}

	var seen []int64
	path, pages := "/g/"+g.Slug, 0
	for path != "" {
		resp, body := f.get(c, path)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		pages++
		seen = append(seen, tileIDs(t, body)...)
		path = ""
		if m := nextLink.FindSubmatch(body); m != nil {
			path = html.UnescapeString(string(m[1]))
		}
		if pages > 100 {
			t.Fatal("the pages do not end")
		}
	}
	if pages != 50 || len(seen) != len(ps) {
		t.Fatalf("%d pages showed %d photos, want 50 pages of all %d", pages, len(seen), len(ps))
	}
	for i, p := range ps {
		if seen[i] != p.ID {
			t.Fatalf("photo %d on the pages is %d, want %d", i+1, seen[i], p.ID)
		}
	}

	// The script's part: the tiles alone, naming the next part.
	resp, body := f.get(c, "/g/"+g.Slug+"?page=2&part=grid")
	if resp.StatusCode != 200 || !bytes.HasPrefix(body, []byte(`<ul data-next="/g/`+g.Slug+`?page=3" data-part="/g/`+g.Slug+`?page=3&amp;part=grid" data-last="400">`)) {
		t.Fatalf("part: %d %.200s", resp.StatusCode, body)
	}
	if ids := tileIDs(t, body); len(ids) != gridPage || ids[0] != ps[200].ID || bytes.Contains(body, []byte("<html")) {
		t.Errorf("part 2 holds %d photos from %v, want %d from %d and nothing else", len(ids), ids[:1], gridPage, ps[200].ID)
	}

	// A page past the end shows the last; a page that is not one is not found.
	_, body = f.get(c, "/g/"+g.Slug+"?page=999")
	if ids := tileIDs(t, body); len(ids) != gridPage || ids[len(ids)-1] != ps[len(ps)-1].ID {
		t.Errorf("page 999 does not show the last page")
	}
	for _, bad := range []string{"0", "-1", "x", "1e3"} {
		if resp, _ := f.get(c, "/g/"+g.Slug+"?page="+url.QueryEscape(bad)); resp.StatusCode != 404 {
			t.Errorf("page=%s: %d, want 404", bad, resp.StatusCode)
		}
	}
}

// TestGallery_FavouritesPaged: the favourites filter pages too, and a
// heart given without the script returns to the page it was given on.
func TestGallery_FavouritesPaged(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	g := f.gallery("Picks", db.GalleryInput{Access: new(db.Public)})
	ps := f.photoRows(g, 700)
	c := f.client()
	f.get(c, "/g/"+g.Slug) // a session
	var picked []int64
	for i := 0; i < len(ps); i += 3 {
		form := url.Values{"on": {"1"}, "name": {"Anna"}, "next": {"/g/" + g.Slug + "?page=3"}}
		resp, _ := f.do(c, "POST", fmt.Sprintf("/g/%s/fav/%d", g.Slug, ps[i].ID), form, nil)
		if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || loc != "/g/"+g.Slug+"?page=3" {
			t.Fatalf("heart: %d to %q, want 303 back to page 3", resp.StatusCode, loc)
		}
		picked = append(picked, ps[i].ID)
	}
	_, body := f.get(c, "/g/"+g.Slug+"?fav=1&page=2")
	ids := tileIDs(t, body)
	if len(ids) != len(picked)-gridPage || ids[0] != picked[gridPage] {
		t.Fatalf("favourites page 2 shows %d from %v, want %d from %d", len(ids), ids[:1], len(picked)-gridPage, picked[gridPage])
	}
	if !bytes.Contains(body, []byte(`<a href="/g/`+g.Slug+`?fav=1" rel="prev"`)) || !bytes.Contains(body, []byte(`name="next" value="/g/`+g.Slug+`?fav=1&amp;page=2"`)) {
		t.Errorf("favourites page 2 links back wrongly")
	}
	// Where a heart returns to is only ever a list of this gallery.
	for next, want := range map[string]string{
		"/g/" + g.Slug + "?fav=1&page=2":    "/g/" + g.Slug + "?fav=1&page=2",
		"/g/" + g.Slug + "?page=x":          "/g/" + g.Slug,
		"/g/other-gallery?page=2":           "/g/" + g.Slug,
		"https://evil.example/g/" + g.Slug:  "/g/" + g.Slug,
		"/g/" + g.Slug + "/p/" + "12":       "/g/" + g.Slug + "/p/12",
		"/g/" + g.Slug + "?fav=1&evil=<b>x": "/g/" + g.Slug + "?fav=1",
	} {
		if got := listNext(g.Slug, next); got != want {
			t.Errorf("listNext(%q) = %q, want %q", next, got, want)
		}
	}
}

// maxPageBytesPerPhoto bounds what rendering a gallery page allocates per
// photo it shows (the HTML is ~650 bytes a photo; gzip's buffers are
// pooled). And a page's cost must not grow with the photos it does not
// show: the first page of 10,000 allocates about what the first of 1,000 does.
const maxPageBytesPerPhoto = 2000

func TestGallery_RenderAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocations")
	}
	f := newFixture(t)
	per := map[int]float64{}
	for _, n := range []int{1000, 10000} {
		g := f.gallery(fmt.Sprintf("G%d", n), db.GalleryInput{Access: new(db.PINAccess), PIN: new("123456")})
		f.photoRows(g, n)
		tok := f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion})
		for _, ae := range []string{"", "gzip"} {
			get := func() {
				r := httptest.NewRequest("GET", "/g/"+g.Slug, nil)
				r.AddCookie(&http.Cookie{Name: galleryCookie(g.ID), Value: tok})
				r.Header.Set("Accept-Encoding", ae)
				w := httptest.NewRecorder()
				f.h.ServeHTTP(w, r)
				if w.Code != 200 || ae == "" && len(tileIDs(t, w.Body.Bytes())) != min(n, gridPage) {
					t.Fatalf("%d, not the grid", w.Code)
				}
			}
			get() // the first view is recorded, which moves the generation
			get() // caches warm
			const runs = 20
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			for range runs {
				get()
			}
			runtime.ReadMemStats(&after)
			bytesPerPage := float64(after.TotalAlloc-before.TotalAlloc) / runs
			shown := min(n, gridPage)
			t.Logf("%d photos, encoding %q: %.0f bytes a page, %.0f a photo shown", n, ae, bytesPerPage, bytesPerPage/float64(shown))
			if b := bytesPerPage / float64(shown); b > maxPageBytesPerPhoto {
				t.Errorf("%d photos, encoding %q: the page allocates %.0f bytes per photo shown, want at most %d", n, ae, b, maxPageBytesPerPhoto)
			}
			if ae == "" {
				per[n] = bytesPerPage
			}
		}
	}
	if per[10000] > 1.5*per[1000] {
		t.Errorf("the first page of 10,000 photos allocates %.0f bytes, of 1,000 %.0f: it grows with the photos not shown", per[10000], per[1000])
	}
}

// TestBrowser_GridPages: in Chromium, scrolling a 450-photo gallery loads
// its three pages into one grid, the viewer walks past the photos loaded
// so far, and with JavaScript off the "Next page" link leads on.
func TestBrowser_GridPages(t *testing.T) {
	t.Parallel()
	bctx := newBrowser(t)
	f := newFixture(t)
	g := f.gallery("Many", db.GalleryInput{Access: new(db.Public)})
	ps := f.photoRows(g, 450)
	link := f.serveReal(t) + "/g/" + g.Slug

	tiles := `[...document.querySelectorAll("#grid li > a")].map(a => +a.getAttribute("href").split("/").pop())`
	ctx, cancel := chromedp.NewContext(bctx)
	defer cancel()
	var ids []int64
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1440, 900), chromedp.Navigate(link),
		chromedp.WaitVisible(`#grid`), chromedp.Evaluate(tiles, &ids)); err != nil {
		t.Fatal(err)
	}
	if len(ids) != gridPage {
		t.Fatalf("the page opens with %d tiles, want %d", len(ids), gridPage)
	}
	for deadline := time.Now().Add(30 * time.Second); len(ids) < len(ps); {
		if time.Now().After(deadline) {
			t.Fatalf("scrolling loaded %d of %d tiles", len(ids), len(ps))
		}
		time.Sleep(100 * time.Millisecond)
		if err := chromedp.Run(ctx, chromedp.Evaluate(`window.scrollTo(0, document.body.scrollHeight)`, nil),
			chromedp.Evaluate(tiles, &ids)); err != nil {
			t.Fatal(err)
		}
	}
	for i, p := range ps {
		if ids[i] != p.ID {
			t.Fatalf("tile %d is photo %d, want %d", i+1, ids[i], p.ID)
		}
	}
	var last string
	var next bool
	if err := chromedp.Run(ctx, chromedp.Text(`nav.pages .last`, &last),
		chromedp.Evaluate(`!!document.querySelector("nav.pages a[rel=next]")`, &next)); err != nil || last != "450" || next {
		t.Errorf("after the last page the pager says %q, next link %v (%v)", last, next, err)
	}

	// The viewer goes on past the last tile loaded.
	var counter string
	err := chromedp.Run(ctx, chromedp.Navigate(link), chromedp.WaitVisible(`#grid`),
		chromedp.Evaluate(`document.querySelectorAll("#grid li > a")[199].click()`, nil),
		chromedp.WaitVisible(`.viewer`), chromedp.Text(`.viewer .counter`, &counter))
	if err != nil || counter != "200 / 450" {
		t.Fatalf("viewer on tile 200: %q %v", counter, err)
	}
	for range 2 {
		if err := chromedp.Run(ctx, chromedp.KeyEvent(kb.ArrowRight)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond) // the next page loads
	}
	if err := chromedp.Run(ctx, chromedp.Text(`.viewer .counter`, &counter)); err != nil || counter != "202 / 450" {
		t.Fatalf("two photos on: %q %v", counter, err)
	}

	// Without JavaScript: page by page.
	nojs, cancel2 := chromedp.NewContext(bctx)
	defer cancel2()
	err = chromedp.Run(nojs, emulation.SetScriptExecutionDisabled(true), chromedp.Navigate(link),
		chromedp.WaitVisible(`#grid`), chromedp.Click(`nav.pages a[rel=next]`, chromedp.NodeVisible),
		chromedp.WaitVisible(`nav.pages a[rel=prev]`), chromedp.Evaluate(tiles, &ids))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != gridPage || ids[0] != ps[gridPage].ID {
		t.Fatalf("page 2 without JavaScript: %d tiles from %v", len(ids), ids[:1])
	}
}

// TestReads_ListLoadedOnce: after a commit empties the cache, visitors
// asking for a large gallery at the same moment share one read of its
// photos rather than each reading all of them.
func TestReads_ListLoadedOnce(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	g := f.gallery("Crowd", db.GalleryInput{Access: new(db.PINAccess), PIN: new("123456")})
	f.photoRows(g, 10000)
	c := f.withCookie(galleryCookie(g.ID), f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion}))
	f.get(c, "/g/"+g.Slug) // the first view is recorded
	f.get(c, "/g/"+g.Slug)
	if err := f.store.SetSetting(context.Background(), db.SettingStudioName, "Another name"); err != nil {
		t.Fatal(err) // any commit empties the cache
	}
	before := f.h.reads.listLoads.Load()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			resp, err := c.Get(f.srv.URL + "/g/" + g.Slug)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Error(resp.Status)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := f.h.reads.listLoads.Load() - before; n > 2 {
		t.Errorf("32 requests at once read the 10,000 photos %d times, want once", n)
	}
}
