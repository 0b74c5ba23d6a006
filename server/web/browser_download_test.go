package web

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pinhole/db"
)

// downloads watches what a browser downloads into dir, through the
// DevTools protocol: each download's suggested name and how it ended.
type downloads struct {
	t     *testing.T
	dir   string
	mu    sync.Mutex
	names map[string]string // GUID → suggested file name
	ended chan *browser.EventDownloadProgress
}

func watchDownloads(t *testing.T, ctx context.Context) *downloads {
	t.Helper()
	d := &downloads{t: t, dir: t.TempDir(), names: map[string]string{}, ended: make(chan *browser.EventDownloadProgress, 16)}
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *browser.EventDownloadWillBegin:
			d.mu.Lock()
			d.names[e.GUID] = e.SuggestedFilename
			d.mu.Unlock()
		case *browser.EventDownloadProgress:
			if e.State != browser.DownloadProgressStateInProgress {
				d.ended <- e
			}
		}
	})
	err := chromedp.Run(ctx, browser.SetDownloadBehavior(browser.SetDownloadBehaviorBehaviorAllowAndName).
		WithDownloadPath(d.dir).WithEventsEnabled(true))
	if err != nil {
		t.Fatalf("enable downloads: %v", err)
	}
	return d
}

// next waits for the next download to end and returns its suggested name
// and the file on disk; a download that fails or is cancelled fails the test.
func (d *downloads) next(what string) (name, path string) {
	d.t.Helper()
	select {
	case e := <-d.ended:
		d.mu.Lock()
		name = d.names[e.GUID]
		d.mu.Unlock()
		if e.State != browser.DownloadProgressStateCompleted {
			d.t.Fatalf("%s: download of %q ended %s", what, name, e.State)
		}
		return name, filepath.Join(d.dir, e.GUID)
	case <-time.After(30 * time.Second):
		d.t.Fatalf("%s: no download", what)
	}
	return "", ""
}

// none checks that no download started (nor failed) so far.
func (d *downloads) none(what string) {
	d.t.Helper()
	time.Sleep(300 * time.Millisecond)
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.names) > 0 || len(d.ended) > 0 {
		d.t.Fatalf("%s: a download started: %v", what, d.names)
	}
}

// reset forgets the downloads seen so far.
func (d *downloads) reset() {
	d.mu.Lock()
	defer d.mu.Unlock()
	clear(d.names)
	for len(d.ended) > 0 {
		<-d.ended
	}
}

// zipEntries opens a downloaded ZIP and lists its entries, read through.
func zipEntries(t *testing.T, path string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatalf("downloaded ZIP: %v", err)
	}
	defer zr.Close()
	var names []string
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 32<<10)
		for {
			if _, err := rc.Read(buf); err != nil {
				if err.Error() != "EOF" {
					t.Fatalf("%s: %v", zf.Name, err)
				}
				break
			}
		}
		rc.Close()
		names = append(names, zf.Name)
	}
	sort.Strings(names)
	return names
}

// onPage reports the page the tab ended on: its path and whether it shows
// the PIN form or an error message.
func onPage(t *testing.T, ctx context.Context) (path string, pinForm bool, message string) {
	t.Helper()
	var msg string
	err := chromedp.Run(ctx,
		chromedp.Evaluate(`location.pathname`, &path),
		chromedp.Evaluate(`!!document.querySelector("#pin")`, &pinForm),
		chromedp.Evaluate(`(document.querySelector(".message") || {}).textContent || ""`, &msg),
	)
	if err != nil {
		t.Fatal(err)
	}
	return path, pinForm, msg
}

// TestBrowser_Downloads: in every access mode a download button either
// downloads the file under its right name or, without the PIN, leads to
// the PIN form and from there to the download, ending on the page the
// client came from; never a failed download of an HTML page.
func TestBrowser_Downloads(t *testing.T) {
	t.Parallel()
	bctx := newBrowser(t)
	f := newFixture(t)
	dpin := f.gallery("Garden party", db.GalleryInput{Access: new(db.DownloadPIN), PIN: new("482915")})
	pin := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("246810")})
	pub := f.gallery("Open day", db.GalleryInput{Access: new(db.Public), Downloads: new(db.DownloadsWeb)})
	var want []string
	var dphotos []db.Photo
	for _, p := range testPhotos[:3] {
		q := f.addPhoto(dpin, p)
		dphotos = append(dphotos, q)
		want = append(want, q.Filename)
		f.addPhoto(pin, p)
	}
	sort.Strings(want)
	png := f.addPhotoNamed(pub, testPhotos[3], "poster.jpeg")
	base := f.serveReal(t)
	dl := watchDownloads(t, bctx)
	settle := func() { time.Sleep(400 * time.Millisecond) }

	// Download-PIN gallery, no PIN yet: "Download all" shows the PIN form.
	err := chromedp.Run(bctx,
		network.ClearBrowserCookies(),
		chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(base+"/g/"+dpin.Slug),
		chromedp.WaitVisible(`#grid`),
		chromedp.Click(`a.button[href$="/zip"]`),
		chromedp.WaitVisible(`#pin`),
	)
	if err != nil {
		t.Fatalf("download all without the PIN: %v", err)
	}
	dl.none("download all without the PIN")
	// The right PIN: the ZIP downloads and the gallery shows again.
	err = chromedp.Run(bctx, chromedp.SendKeys(`#pin`, "482915"), chromedp.Submit(`#pin`))
	if err != nil {
		t.Fatal(err)
	}
	name, file := dl.next("download all after the PIN")
	if name != "Garden party.zip" {
		t.Errorf("ZIP saved as %q", name)
	}
	if got := zipEntries(t, file); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("ZIP holds %v, want %v", got, want)
	}
	settle()
	if path, form, msg := onPage(t, bctx); path != "/g/"+dpin.Slug || form || msg != "" {
		t.Errorf("after the PIN for a ZIP: on %s, PIN form %v, message %q", path, form, msg)
	}

	// A new visitor opens a photo's page and presses Download: PIN form,
	// then the photo, and the page is the photo's again, without an error.
	dl.reset()
	photoPage := "/g/" + dpin.Slug + "/p/" + itoa(dphotos[1].ID)
	err = chromedp.Run(bctx,
		network.ClearBrowserCookies(),
		chromedp.Navigate(base+photoPage),
		chromedp.WaitVisible(`.photo-actions a.button`),
		chromedp.Click(`.photo-actions a.button`),
		chromedp.WaitVisible(`#pin`),
	)
	if err != nil {
		t.Fatalf("photo download without the PIN: %v", err)
	}
	dl.none("photo download without the PIN")
	if err := chromedp.Run(bctx, chromedp.SendKeys(`#pin`, "482915"), chromedp.Submit(`#pin`)); err != nil {
		t.Fatal(err)
	}
	name, file = dl.next("photo download after the PIN")
	if name != dphotos[1].Filename {
		t.Errorf("photo saved as %q, want %q", name, dphotos[1].Filename)
	}
	orig, _ := os.ReadFile(testPhotos[1])
	if got, _ := os.ReadFile(file); string(got) != string(orig) {
		t.Errorf("downloaded photo differs from the original (%d bytes, want %d)", len(got), len(orig))
	}
	settle()
	if path, form, msg := onPage(t, bctx); path != photoPage || form || msg != "" {
		t.Errorf("after the PIN for a photo: on %s, PIN form %v, message %q", path, form, msg)
	}

	// The viewer without the PIN shows Download, which leads to the PIN.
	dl.reset()
	var hasDownload bool
	err = chromedp.Run(bctx,
		network.ClearBrowserCookies(),
		chromedp.Navigate(base+"/g/"+dpin.Slug),
		chromedp.WaitVisible(`#grid`),
		chromedp.Click(`#grid li:first-child a`),
		chromedp.WaitVisible(`.viewer`),
		chromedp.Evaluate(`!!document.querySelector(".viewer .download")`, &hasDownload),
	)
	if err != nil || !hasDownload {
		t.Fatalf("viewer of a download-PIN gallery: Download shown %v, %v", hasDownload, err)
	}
	err = chromedp.Run(bctx, chromedp.Click(`.viewer .download`), chromedp.WaitVisible(`#pin`))
	if err != nil {
		t.Fatalf("viewer's Download without the PIN: %v", err)
	}
	dl.none("viewer's Download without the PIN")
	// and from there, with the PIN, to the photo, without an error.
	if err := chromedp.Run(bctx, chromedp.SendKeys(`#pin`, "482915"), chromedp.Submit(`#pin`)); err != nil {
		t.Fatal(err)
	}
	if name, _ := dl.next("viewer's Download after the PIN"); name != dphotos[0].Filename {
		t.Errorf("viewer's Download after the PIN saved %q, want %q", name, dphotos[0].Filename)
	}
	settle()
	if path, form, msg := onPage(t, bctx); form || msg != "" || !strings.HasPrefix(path, "/g/"+dpin.Slug) {
		t.Errorf("after the PIN for the viewer's Download: on %s, PIN form %v, message %q", path, form, msg)
	}

	// PIN gallery, PIN typed: the viewer's Download and Download all.
	dl.reset()
	err = chromedp.Run(bctx,
		network.ClearBrowserCookies(),
		chromedp.Navigate(base+"/g/"+pin.Slug),
		chromedp.WaitVisible(`#pin`),
		chromedp.SendKeys(`#pin`, "246810"),
		chromedp.Submit(`#pin`),
		chromedp.WaitVisible(`#grid`),
		chromedp.Click(`#grid li:nth-child(2) a`),
		chromedp.WaitVisible(`.viewer .download`),
		chromedp.Click(`.viewer .download`),
	)
	if err != nil {
		t.Fatalf("viewer's Download with the PIN: %v", err)
	}
	if name, _ := dl.next("viewer's Download"); name != filepath.Base(testPhotos[1]) {
		t.Errorf("viewer's Download saved %q, want %q", name, filepath.Base(testPhotos[1]))
	}
	err = chromedp.Run(bctx, chromedp.Navigate(base+"/g/"+pin.Slug), chromedp.WaitVisible(`#grid`),
		chromedp.Click(`a.button[href$="/zip"]`))
	if err != nil {
		t.Fatal(err)
	}
	if name, file := dl.next("download all with the PIN"); name != "Smith wedding.zip" || len(zipEntries(t, file)) != 3 {
		t.Errorf("download all: %q", name)
	}

	// Public gallery with web-size downloads: the viewer's Download gives
	// the web-size JPEG under the photo's name.
	dl.reset()
	err = chromedp.Run(bctx,
		network.ClearBrowserCookies(),
		chromedp.Navigate(base+"/g/"+pub.Slug),
		chromedp.WaitVisible(`#grid`),
		chromedp.Click(`#grid li:first-child a`),
		chromedp.WaitVisible(`.viewer .download`),
		chromedp.Click(`.viewer .download`),
	)
	if err != nil {
		t.Fatalf("public viewer's Download: %v", err)
	}
	if name, _ := dl.next("public download"); name != png.Filename {
		t.Errorf("web-size download saved as %q, want %q", name, png.Filename)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
