package studio

import (
	"fmt"
	"testing"
	"time"

	"pinhole/db"
)

var (
	now       = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	later     = now.Add(48 * time.Hour)
	sooner    = now.Add(24 * time.Hour)
	yesterday = now.Add(-time.Hour)
)

// TestDecide: hand-picked cases, each with everything the decision says.
func TestDecide(t *testing.T) {
	parent := db.Gallery{ID: 1, Slug: "p", Title: "Wedding", Access: db.PINAccess, PIN: "1111", PINVersion: 10, Downloads: db.DownloadsOriginal, Published: true}
	kid := db.Gallery{ID: 2, Slug: "k", Title: "Ceremony", Access: db.Inherit, Downloads: db.DownloadsWeb, Published: true, ParentID: 1, NavigateUp: true}
	own := db.Gallery{ID: 3, Slug: "o", Title: "Party", Access: db.DownloadPIN, PIN: "3333", PINVersion: 30, Downloads: db.DownloadsOriginal, Published: true, ParentID: 1}
	pub := db.Gallery{ID: 4, Slug: "pub", Access: db.Public, Downloads: db.DownloadsOff, Published: true}
	with := func(g db.Gallery, f func(*db.Gallery)) db.Gallery { f(&g); return g }
	pinOn := func(from db.Gallery, pg int64, v int) Visitor {
		return Visitor{Pass: &Pass{From: from, PINGallery: pg, PINVersion: v}}
	}
	type want struct {
		state    State
		view     bool
		download db.Downloads
		reason   Reason
		by       By
	}
	tests := []struct {
		name   string
		g      db.Gallery
		parent *db.Gallery
		v      Visitor
		want   want
	}{
		{"anonymous on a PIN gallery", parent, nil, Visitor{}, want{Open, false, db.DownloadsOff, ReasonPIN, ByNobody}},
		{"PIN typed here", parent, nil, pinOn(parent, 1, 10), want{Open, true, db.DownloadsOriginal, NoReason, ByPIN}},
		{"PIN of an older version", parent, nil, pinOn(parent, 1, 9), want{Open, false, db.DownloadsOff, ReasonPIN, ByNobody}},
		{"version right, typed on another gallery's PIN", parent, nil, pinOn(parent, 3, 10), want{Open, false, db.DownloadsOff, ReasonPIN, ByNobody}},
		{"parent's PIN opens an inheriting sub-gallery", kid, &parent, pinOn(parent, 1, 10), want{Open, true, db.DownloadsWeb, NoReason, ByPIN}},
		{"PIN typed on the sub-gallery opens it", kid, &parent, pinOn(kid, 1, 10), want{Open, true, db.DownloadsWeb, NoReason, ByPIN}},
		{"and its parent, when it navigates up", parent, nil, pinOn(kid, 1, 10), want{Open, true, db.DownloadsOriginal, NoReason, ByPIN}},
		{"not its parent without navigate-up", parent, nil, pinOn(with(kid, func(g *db.Gallery) { g.NavigateUp = false }), 1, 10), want{Open, false, db.DownloadsOff, ReasonPIN, ByNobody}},
		{"parent's PIN does not open a sub-gallery with its own", own, &parent, pinOn(parent, 1, 10), want{Open, true, db.DownloadsOff, ReasonDownloadPIN, ByNobody}},
		{"own download PIN", own, &parent, pinOn(own, 3, 30), want{Open, true, db.DownloadsOriginal, NoReason, ByPIN}},
		{"sibling's PIN session", own, &parent, pinOn(kid, 1, 10), want{Open, true, db.DownloadsOff, ReasonDownloadPIN, ByNobody}},
		{"login granted the gallery", parent, nil, Visitor{Login: true, Granted: []int64{1}}, want{Open, true, db.DownloadsOriginal, NoReason, ByLogin}},
		{"login granted the parent", own, &parent, Visitor{Login: true, Granted: []int64{1}}, want{Open, true, db.DownloadsOriginal, NoReason, ByLogin}},
		{"login granted a sub-gallery, not its parent", parent, nil, Visitor{Login: true, Granted: []int64{2}}, want{Open, false, db.DownloadsOff, ReasonPIN, ByNobody}},
		{"login granted something else", parent, nil, Visitor{Login: true, Granted: []int64{4}}, want{Open, false, db.DownloadsOff, ReasonPIN, ByNobody}},
		{"public, downloads off", pub, nil, Visitor{}, want{Open, true, db.DownloadsOff, ReasonNoDownloads, ByNobody}},
		{"draft, login granted", with(parent, func(g *db.Gallery) { g.Published = false }), nil, Visitor{Login: true, Granted: []int64{1}}, want{Draft, false, "", ReasonDraft, ByNobody}},
		{"draft, preview", with(parent, func(g *db.Gallery) { g.Published = false }), nil, Visitor{Pass: &Pass{From: parent, Preview: true}}, want{Draft, true, db.DownloadsOriginal, NoReason, ByPreview}},
		{"expired, preview", with(parent, func(g *db.Gallery) { g.ExpiresAt = yesterday }), nil, Visitor{Pass: &Pass{From: parent, Preview: true}}, want{Expired, false, "", ReasonExpired, ByNobody}},
		{"expired, right PIN", with(parent, func(g *db.Gallery) { g.ExpiresAt = yesterday }), nil, pinOn(parent, 1, 10), want{Expired, false, "", ReasonExpired, ByNobody}},
		{"parent draft", kid, new(with(parent, func(g *db.Gallery) { g.Published = false })), pinOn(parent, 1, 10), want{ClosedWithParent, false, "", ReasonParentDraft, ByNobody}},
		{"parent expired", own, new(with(parent, func(g *db.Gallery) { g.ExpiresAt = yesterday })), Visitor{Login: true, Granted: []int64{3}}, want{ClosedWithParent, false, "", ReasonParentGone, ByNobody}},
		{"own draft before parent's expiry", with(kid, func(g *db.Gallery) { g.Published = false }), new(with(parent, func(g *db.Gallery) { g.ExpiresAt = yesterday })), Visitor{}, want{Draft, false, "", ReasonDraft, ByNobody}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.g, tt.parent, tt.v, now)
			got := want{d.State, d.View, d.Download, d.Reason, d.By}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestDecide_AllCombinations runs every combination of a gallery's and its
// parent's settings with every visitor standing, and checks the rules of
// DESIGN's access model on each.
func TestDecide_AllCombinations(t *testing.T) {
	accesses := []db.Access{db.Public, db.PINAccess, db.DownloadPIN}
	downloads := []db.Downloads{db.DownloadsOff, db.DownloadsWeb, db.DownloadsOriginal}
	expiries := []time.Time{{}, later, sooner, yesterday}
	n := 0
	for _, hasParent := range []bool{false, true} {
		for _, pa := range accesses {
			for _, pPub := range []bool{true, false} {
				for _, pExp := range expiries {
					for _, ga := range append([]db.Access{db.Inherit}, accesses...) {
						if ga == db.Inherit && !hasParent {
							continue
						}
						for _, gd := range downloads {
							for _, gPub := range []bool{true, false} {
								for _, gExp := range expiries {
									for _, up := range []bool{false, true} {
										parent := db.Gallery{ID: 1, Slug: "p", Title: "P", Access: pa, PINVersion: 10, Downloads: db.DownloadsOriginal, Published: pPub, ExpiresAt: pExp}
										if pa != db.Public {
											parent.PIN = "1111"
										}
										g := db.Gallery{ID: 2, Slug: "g", Title: "G", Access: ga, PINVersion: 20, Downloads: gd, Published: gPub, ExpiresAt: gExp, NavigateUp: up}
										if ga != db.Public && ga != db.Inherit {
											g.PIN = "2222"
										}
										var pp *db.Gallery
										if hasParent {
											g.ParentID, pp = 1, &parent
										} else if ga == db.Inherit {
											continue
										}
										for name, v := range standings(g, parent) {
											n++
											checkRules(t, fmt.Sprintf("%s / parent %v %s pub=%v exp=%v / g %q %s pub=%v exp=%v up=%v", name, hasParent, pa, pPub, pExp, ga, gd, gPub, gExp, up), g, pp, v)
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
	t.Logf("%d combinations", n)
}

// standings are the visitors to try on g (whose parent may be parent).
func standings(g, parent db.Gallery) map[string]Visitor {
	pg := g
	if g.Access == db.Inherit {
		pg = parent
	}
	other := db.Gallery{ID: 9, Slug: "x", Access: db.PINAccess, PIN: "9999", PINVersion: 90}
	return map[string]Visitor{
		"anonymous":          {},
		"PIN here":           {Pass: &Pass{From: g, PINGallery: pg.ID, PINVersion: pg.PINVersion}},
		"PIN on the parent":  {Pass: &Pass{From: parent, PINGallery: parent.ID, PINVersion: parent.PINVersion}},
		"old PIN here":       {Pass: &Pass{From: g, PINGallery: pg.ID, PINVersion: pg.PINVersion - 1}},
		"PIN elsewhere":      {Pass: &Pass{From: other, PINGallery: other.ID, PINVersion: other.PINVersion}},
		"login granted it":   {Login: true, Granted: []int64{g.ID}},
		"login granted up":   {Login: true, Granted: []int64{parent.ID}},
		"login granted else": {Login: true, Granted: []int64{other.ID}},
		"preview here":       {Pass: &Pass{From: g, Preview: true}},
		"preview elsewhere":  {Pass: &Pass{From: other, Preview: true}},
	}
}

// checkRules states the access model rule by rule, independently of how
// Decide is written.
func checkRules(t *testing.T, name string, g db.Gallery, parent *db.Gallery, v Visitor) {
	t.Helper()
	d := Decide(g, parent, v, now)
	closedSelf := !g.Published || g.Expired(now)
	closedParent := parent != nil && (!parent.Published || parent.Expired(now))
	draftOnly := (!g.Published || parent != nil && !parent.Published) && !g.Expired(now) && !(parent != nil && parent.Expired(now))
	preview := v.Pass != nil && v.Pass.Preview && v.Pass.From.ID == g.ID
	fail := func(format string, args ...any) { t.Errorf(name+": "+format, args...) }

	// The state, the access in effect and the expiry, parent included.
	switch {
	case !g.Published && d.State != Draft, g.Published && g.Expired(now) && d.State != Expired,
		!closedSelf && closedParent && d.State != ClosedWithParent, !closedSelf && !closedParent && d.State != Open:
		fail("state %s", d.State)
	}
	wantAccess := g.Access
	if g.Access == db.Inherit {
		wantAccess = parent.Access
	}
	if d.Access != wantAccess {
		fail("access %s, want %s", d.Access, wantAccess)
	}
	if (d.Access == db.Public) != (d.PIN == "") {
		fail("PIN %q with access %s", d.PIN, d.Access)
	}
	for _, e := range []time.Time{g.ExpiresAt, func() time.Time {
		if parent != nil {
			return parent.ExpiresAt
		}
		return time.Time{}
	}()} {
		if !e.IsZero() && (d.Expires.IsZero() || d.Expires.After(e)) {
			fail("expires %v, but %v applies", d.Expires, e)
		}
	}
	// Closed galleries open to nobody, but the photographer's preview of a draft.
	if (closedSelf || closedParent) && d.View && !(preview && draftOnly) {
		fail("a closed gallery opens (%s)", d.By)
	}
	if !d.View && d.Download != db.DownloadsOff && d.Download != "" {
		fail("downloads %s without viewing", d.Download)
	}
	if !d.Open() && !d.View && d.Download != "" && d.Download != db.DownloadsOff {
		fail("downloads from a closed gallery")
	}
	if d.View && !closedSelf && !closedParent {
		// Downloading never exceeds the gallery's own setting.
		if d.Download != db.DownloadsOff && d.Download != g.Downloads {
			fail("downloads %s, gallery allows %s", d.Download, g.Downloads)
		}
	}
	if closedSelf || closedParent {
		return
	}
	// An open gallery: public and download-PIN galleries show to anyone.
	if (wantAccess == db.Public || wantAccess == db.DownloadPIN) && !d.View {
		fail("a %s gallery hides its photos", wantAccess)
	}
	// What lets the visitor past the PIN.
	granted := v.Login && (contains(v.Granted, g.ID) || parent != nil && contains(v.Granted, parent.ID))
	pinOK := false
	if p := v.Pass; p != nil && !p.Preview {
		pg := g
		if g.Access == db.Inherit {
			pg = *parent
		}
		reaches := p.From.ID == g.ID || (g.Access == db.Inherit && p.From.ID == g.ParentID) ||
			(p.From.ParentID == g.ID && p.From.Access == db.Inherit && p.From.NavigateUp)
		pinOK = reaches && p.PINGallery == pg.ID && p.PINVersion == pg.PINVersion
	}
	past := granted || pinOK || preview
	if wantAccess == db.PINAccess && d.View != past {
		fail("view %v, want %v (granted %v, PIN %v, preview %v)", d.View, past, granted, pinOK, preview)
	}
	wantDown := db.DownloadsOff
	if g.Downloads != db.DownloadsOff && (wantAccess == db.Public || past) {
		wantDown = g.Downloads
	}
	if d.Download != wantDown {
		fail("download %q, want %q", d.Download, wantDown)
	}
}

func contains(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// A set is never listed on the home page, even asked about without its
// parent at hand.
func TestDecide_SetNeverListed(t *testing.T) {
	set := db.Gallery{ID: 2, ParentID: 1, Access: db.Public, Published: true, Listed: true}
	if d := Decide(set, nil, Visitor{}, time.Now()); d.Listed {
		t.Errorf("a set marked listed is said to be on the home page: %+v", d)
	}
	top := db.Gallery{ID: 1, Access: db.Public, Published: true, Listed: true}
	if d := Decide(top, nil, Visitor{}, time.Now()); !d.Listed {
		t.Errorf("a public, published top gallery marked listed is not: %+v", d)
	}
}
