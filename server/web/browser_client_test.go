package web

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"pinhole/db"
)

// TestBrowser_ClientFavourites: log in with a code typed in lower case with
// spaces → the dashboard shows the granted galleries only → open one
// without a PIN → heart two photos → "Download favourites" is a ZIP of
// exactly those two. Then a PIN visitor hearts two photos and is asked for
// a first name once.
func TestBrowser_ClientFavourites(t *testing.T) {
	t.Parallel()
	bctx := newBrowser(t)
	f := newClientFixture(t)
	ctx := context.Background()
	f.store.SetSetting(ctx, db.SettingStudioName, "Lumen Studio")
	granted := f.gallery("Smith wedding", db.GalleryInput{Access: new(db.PINAccess), PIN: new("246810"), EventDate: new("2026-06-14")})
	for _, p := range testPhotos {
		f.addPhoto(granted, p)
	}
	other := f.gallery("Jones birthday", db.GalleryInput{Access: new(db.PINAccess), PIN: new("135790")})
	f.addPhoto(other, testPhotos[0])
	cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new("Anna Smith"), Code: new("K7QP-2MXD-9RTW")})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.Grant(ctx, cl.ID, granted.Slug); err != nil {
		t.Fatal(err)
	}
	base := f.serveReal(t)
	dir := artifacts(t)
	dl := t.TempDir()

	var dashboard string
	err = chromedp.Run(bctx,
		chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`#code`),
		chromedp.SendKeys(`#code`, "k7qp 2mxd 9rtw"),
		chromedp.Submit(`#code`),
		chromedp.WaitVisible(`a.card`),
		chromedp.Text(`main`, &dashboard),
	)
	if err != nil {
		t.Fatalf("login: %v", err)
	}
	if !strings.Contains(dashboard, "Smith wedding") || strings.Contains(dashboard, "Jones birthday") {
		t.Fatalf("dashboard: %q", dashboard)
	}
	screenshot(t, bctx, dir, "me-1440x900")
	var pressed1, pressed2 string
	var dialogs int
	err = chromedp.Run(bctx,
		chromedp.Click(`a.card`),
		chromedp.WaitVisible(`#grid`), // no PIN asked
		chromedp.Click(`#grid li:nth-child(1) .heart`),
		chromedp.WaitVisible(`#grid li:nth-child(1) .heart[aria-pressed="true"]`),
		chromedp.Click(`#grid li:nth-child(3) .heart`),
		chromedp.WaitVisible(`#grid li:nth-child(3) .heart[aria-pressed="true"]`),
		chromedp.AttributeValue(`#grid li:nth-child(1) .heart`, "aria-pressed", &pressed1, nil),
		chromedp.AttributeValue(`#grid li:nth-child(2) .heart`, "aria-pressed", &pressed2, nil),
		chromedp.Evaluate(`document.querySelectorAll("dialog").length`, &dialogs),
	)
	if err != nil {
		t.Fatalf("hearts: %v", err)
	}
	if pressed1 != "true" || pressed2 != "false" || dialogs != 0 {
		t.Fatalf("hearts: %s %s, %d name dialogs (a client login is not asked)", pressed1, pressed2, dialogs)
	}
	err = chromedp.Run(bctx,
		chromedp.Click(`#fav-filter`),
		chromedp.WaitVisible(`a.button[href$="/favourites.zip"]`),
	)
	if err != nil {
		t.Fatalf("favourites filter: %v", err)
	}
	screenshot(t, bctx, dir, "favourites-1440x900")
	zr := downloadZip(t, bctx, dl, "download favourites", chromedp.Click(`a.button[href$="/favourites.zip"]`))
	var names []string
	for _, zf := range zr.File {
		names = append(names, zf.Name)
	}
	zr.Close()
	ordered, _ := f.store.Photos(ctx, granted.ID)
	want := []string{ordered[0].Filename, ordered[2].Filename}
	sort.Strings(names)
	sort.Strings(want)
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Fatalf("favourites ZIP %v, want %v", names, want)
	}

	// A PIN visitor: the first heart asks for a first name, the second not.
	tab, cancel := chromedp.NewContext(bctx)
	defer cancel()
	err = chromedp.Run(tab,
		network.ClearBrowserCookies(),
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(base+"/g/"+granted.Slug),
		chromedp.WaitVisible(`#pin`),
		chromedp.SendKeys(`#pin`, "246810"),
		chromedp.Submit(`#pin`),
		chromedp.WaitVisible(`#grid`),
		chromedp.Click(`#grid li:nth-child(2) .heart`),
		chromedp.WaitVisible(`dialog.name-dialog input`),
	)
	if err != nil {
		t.Fatalf("PIN visitor, first heart: %v", err)
	}
	screenshot(t, tab, dir, "name-390x844")
	err = chromedp.Run(tab,
		chromedp.SendKeys(`dialog.name-dialog input`, "Ben"),
		chromedp.Click(`dialog.name-dialog button[value="ok"]`),
		chromedp.WaitVisible(`#grid li:nth-child(2) .heart[aria-pressed="true"]`),
		chromedp.Click(`#grid li:nth-child(4) .heart`),
		chromedp.WaitVisible(`#grid li:nth-child(4) .heart[aria-pressed="true"]`),
		chromedp.Evaluate(`document.querySelectorAll("dialog").length`, &dialogs),
	)
	if err != nil || dialogs != 0 {
		t.Fatalf("PIN visitor, second heart: %v, %d dialogs", err, dialogs)
	}
	favs, _ := f.store.Favourites(ctx, granted.ID)
	per := map[string]int{}
	for _, fv := range favs {
		per[fv.Person]++
	}
	if per["Anna Smith"] != 2 || per["Ben"] != 2 {
		t.Fatalf("favourites per person: %v", per)
	}
	screenshot(t, tab, dir, "gallery-hearts-390x844")
}
