package web

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color/palette"
	"image/draw"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pinhole/db"
)

// TestBrowser_StudioLook walks the main pages in Chromium at phone and
// desktop sizes with a studio's look set: the logo and the cover load under
// the strict CSP, buttons take the accent colour, the PIN page shows the
// cover only as chosen, a logged-in client has "My galleries" and "Log out"
// everywhere and sees the sets under their collection, and the expired page
// says how to reach the photographer. With PINHOLE_SCREENSHOTS=DIR it saves
// the README's screenshots there (small PNGs).
func TestBrowser_StudioLook(t *testing.T) {
	t.Parallel()
	f := newClientFixture(t)
	ctx := context.Background()
	f.setLook()
	wedding := f.gallery("Anna & Ben — Wedding", db.GalleryInput{PIN: new("482915"), EventDate: new("2026-06-14"),
		Description: new("A summer day by the lake. Thank you for having us!"), Expires: new(f.clock.Now().AddDate(0, 3, 0).Format(time.DateOnly))})
	var cover db.Photo
	for _, p := range []string{"Landscape_0.jpg", "DSCN0010.jpg", "Portrait_0.jpg", "DSCN0012.jpg", "sample.jpg", "Landscape_4.jpg"} {
		ph := f.addPhoto(wedding, "../../testdata/photos/"+p)
		if p == "Landscape_0.jpg" {
			cover = ph
		}
	}
	ceremony := f.gallery("Ceremony", db.GalleryInput{Parent: &wedding.Slug})
	f.addPhoto(ceremony, "../../testdata/photos/Portrait_5.jpg")
	f.addPhoto(ceremony, "../../testdata/photos/Portrait_4.jpg")
	party := f.gallery("Party", db.GalleryInput{Parent: &wedding.Slug})
	f.addPhoto(party, "../../testdata/photos/Landscape_2.jpg")
	if _, err := f.store.UpdateGallery(ctx, wedding.Slug, db.GalleryInput{CoverID: &cover.ID, CoverOnPIN: new(true)}, false); err != nil {
		t.Fatal(err)
	}
	old := f.gallery("Spring portraits", db.GalleryInput{Access: new(db.Public), Expires: new(f.clock.Now().Format(time.DateOnly))})
	f.clock.Add(48 * time.Hour) // the spring portraits have expired
	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna Smith"), Code: new("K7QP-2MXD-9RTW")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Grant(ctx, cl.ID, wedding.Slug); err != nil {
		t.Fatal(err)
	}
	base := f.serveReal(t)
	dir := os.Getenv("PINHOLE_SCREENSHOTS")
	if dir == "" {
		dir = artifacts(t)
	}

	loaded := func(sel string) string {
		return fmt.Sprintf(`(() => { const i = document.querySelector(%q); return !!i && i.complete && i.naturalWidth > 0 })()`, sel)
	}
	waitTrue := func(tctx context.Context, what, js string) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); ; {
			var ok bool
			if err := chromedp.Run(tctx, chromedp.Evaluate(js, &ok)); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not so after 15 s", what)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	shot := func(tctx context.Context, name string) {
		t.Helper()
		var b []byte
		if err := chromedp.Run(tctx, chromedp.CaptureScreenshot(&b)); err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".png"), smallPNG(t, b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, size := range []struct {
		name string
		w, h int64
	}{{"phone", 390, 844}, {"desktop", 1280, 800}} {
		tctx := newBrowser(t) // one each: a browser's run is limited to 90 s
		var text, bg string
		err := chromedp.Run(tctx,
			network.ClearBrowserCookies(),
			chromedp.EmulateViewport(size.w, size.h),
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`#code`),
			chromedp.Text(`.lead`, &text),
		)
		if err != nil || !strings.HasPrefix(text, "Welcome.") {
			t.Fatalf("%s: home for a new visitor: %q %v", size.name, text, err)
		}
		waitTrue(tctx, size.name+": logo", loaded(`header.site .studio img`))
		shot(tctx, "home-"+size.name)

		// The PIN page with the cover, as the photographer chose.
		if err := chromedp.Run(tctx, chromedp.Navigate(base+"/g/"+wedding.Slug), chromedp.WaitVisible(`#pin`)); err != nil {
			t.Fatalf("%s: PIN page: %v", size.name, err)
		}
		waitTrue(tctx, size.name+": cover on the PIN page", loaded(`.hero img`))
		shot(tctx, "pin-"+size.name)

		err = chromedp.Run(tctx,
			chromedp.SendKeys(`#pin`, "482915"),
			chromedp.Submit(`#pin`),
			chromedp.WaitVisible(`#grid`),
			chromedp.Evaluate(`getComputedStyle(document.querySelector(".actions .button, .actions button")).backgroundColor`, &bg),
		)
		if err != nil {
			t.Fatalf("%s: gallery: %v", size.name, err)
		}
		if bg != "rgb(47, 93, 80)" {
			t.Errorf("%s: a button's colour is %s, want the accent #2f5d50", size.name, bg)
		}
		waitTrue(tctx, size.name+": hero", loaded(`.hero img`))
		waitTrue(tctx, size.name+": grid", `[...document.querySelectorAll("#grid img")].filter(i => i.getBoundingClientRect().top < innerHeight).every(i => i.complete && i.naturalWidth > 0)`)
		shot(tctx, "gallery-"+size.name)

		// Logged in: the home page knows the client; /me has the sets under
		// the wedding; every page has My galleries and Log out.
		err = chromedp.Run(tctx,
			chromedp.Navigate(base+"/"),
			chromedp.WaitVisible(`#code`),
			chromedp.Text(`.lead`, &text),
		)
		if err != nil || !strings.HasPrefix(text, "Welcome back.") {
			t.Fatalf("%s: home for a returning visitor: %q %v", size.name, text, err)
		}
		err = chromedp.Run(tctx,
			chromedp.SendKeys(`#code`, "k7qp 2mxd 9rtw"),
			chromedp.Submit(`#code`),
			chromedp.WaitVisible(`.card-sets`),
			chromedp.Text(`main`, &text),
		)
		if err != nil {
			t.Fatalf("%s: /me: %v", size.name, err)
		}
		if !strings.Contains(text, "1 gallery shared with you") || !strings.Contains(text, "Ceremony") || !strings.Contains(text, "Party") {
			t.Errorf("%s: /me says %q", size.name, text)
		}
		waitTrue(tctx, size.name+": /me cover", loaded(`.card img`))
		shot(tctx, "me-"+size.name)
		for _, p := range []string{"/", "/g/" + ceremony.Slug, "/g/" + party.Slug} {
			var nav string
			if err := chromedp.Run(tctx, chromedp.Navigate(base+p), chromedp.WaitVisible(`nav.account`), chromedp.Text(`nav.account`, &nav)); err != nil {
				t.Fatalf("%s %s: %v", size.name, p, err)
			}
			if !strings.Contains(nav, "My galleries") || !strings.Contains(nav, "Log out") {
				t.Errorf("%s %s: account links %q", size.name, p, nav)
			}
		}

		if err := chromedp.Run(tctx, chromedp.Navigate(base+"/g/"+old.Slug), chromedp.WaitVisible(`.reach`), chromedp.Text(`main`, &text)); err != nil {
			t.Fatalf("%s: expired page: %v", size.name, err)
		}
		if !strings.Contains(text, "lena@example.com") || strings.Count(text, "expired") != 1 {
			t.Errorf("%s: expired page says %q", size.name, text)
		}
		shot(tctx, "expired-"+size.name)
	}
	t.Logf("screenshots in %s", dir)
}

// smallPNG turns a screenshot into a 256-colour PNG (dithered), a few
// times smaller than Chromium's, for the README.
func smallPNG(t *testing.T, b []byte) []byte {
	t.Helper()
	src, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	dst := image.NewPaletted(src.Bounds(), palette.Plan9)
	draw.FloydSteinberg.Draw(dst, dst.Bounds(), src, image.Point{})
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, dst); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
