package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/studio"
)

// A collection is a gallery with sets (sub-galleries): its own photos and
// each set's, as far as the visitor may see and download them.

// setTab is a link between a collection's galleries.
type setTab struct {
	Title, URL string
	Current    bool
}

// zipChoice is one "Download all" offer.
type zipChoice struct {
	URL, Label string
	Direct     bool // downloads at once (else the PIN comes first)
}

// collection is what a visitor sees of top (a gallery without parent) and
// its sets: the tabs between them, and the parts of a ZIP of all of it
// that the visitor may download, now or (part.pinFirst) after typing the
// top gallery's PIN (a download PIN, or the PIN to look at all). pinFirst
// says some part needs it. A set that needs a download PIN of its own is left out: the
// collection's route asks only for the top's (the set's page asks for its
// own). topDown is what the top gallery itself lets the visitor download.
// Each gallery is decided as a request for it would be, with the session
// it has in its own cookie (a set with a PIN of its own), so that the
// page's offer and the ZIP hold the same photos, whichever gallery of the
// collection asks.
func (h *Handler) collection(ctx context.Context, r *http.Request, gen uint64, top db.Gallery, current int64) (tabs []setTab, parts []zipPart, pinFirst bool, topDown db.Downloads, err error) {
	kids, err := h.store.Children(ctx, top.ID)
	if err != nil {
		return nil, nil, false, "", err
	}
	now := h.now()
	decide := func(g db.Gallery, parent *db.Gallery) (studio.Decision, error) {
		v := &visit{g: g, parent: parent, gen: gen}
		_, err := h.decide(ctx, r, v, now)
		return v.d, err
	}
	var asks bool // the route answers with the top's PIN form whatever the sets hold
	add := func(g db.Gallery, d studio.Decision, folder string) error {
		// A gallery whose downloads the top's PIN opens is in the
		// collection after that PIN; one it opens to look at all, when the
		// route asks for that PIN anyway.
		dl, later := d.Download, d.PINGallery.ID == top.ID && (d.Reason == studio.ReasonDownloadPIN || d.Reason == studio.ReasonPIN && asks)
		if later {
			dl = g.Downloads // what the PIN will open
		}
		if dl == db.DownloadsOff || !d.View && !later {
			return nil
		}
		ps, err := h.photos(ctx, gen, g.ID)
		if err != nil || len(ps) == 0 {
			return err
		}
		pinFirst = pinFirst || later
		parts = append(parts, zipPart{folder: folder, photos: ps, downloads: dl, pinFirst: later, unseen: !d.View})
		return nil
	}
	tabs = append(tabs, setTab{Title: top.Title, URL: galleryPath(top.Slug), Current: top.ID == current})
	td, err := decide(top, nil)
	if err != nil {
		return nil, nil, false, "", err
	}
	asks = collectionAsksPIN(top, td.Download)
	if err := add(top, td, ""); err != nil {
		return nil, nil, false, "", err
	}
	for _, k := range kids {
		kd, err := decide(k, &top)
		if err != nil {
			return nil, nil, false, "", err
		}
		if !kd.Open() && !kd.View {
			continue
		}
		tabs = append(tabs, setTab{Title: k.Title, URL: galleryPath(k.Slug), Current: k.ID == current})
		if err := add(k, kd, k.Title); err != nil {
			return nil, nil, false, "", err
		}
	}
	if len(tabs) == 1 {
		tabs = nil // no sets: nothing to move between
	}
	return tabs, parts, pinFirst, td.Download, nil
}

// collectionAsksPIN reports whether the collection's ZIP answers with the
// top gallery's PIN form rather than the archive: its downloads are on but
// need the PIN this visitor does not hold.
func collectionAsksPIN(top db.Gallery, topDown db.Downloads) bool {
	return top.Downloads != db.DownloadsOff && topDown == db.DownloadsOff
}

// zipLabel is the label of a download offer: what, how many, how large
// (web-size copies are made at import, their size is not summed here).
func zipLabel(what string, parts []zipPart) string {
	n, size, web := 0, int64(0), false
	for _, pt := range parts {
		n += len(pt.photos)
		if pt.downloads == db.DownloadsWeb {
			web = true
			continue
		}
		for _, p := range pt.photos {
			size += p.Bytes
		}
	}
	count := plural(n, "photo", "photos")
	switch {
	case web && size == 0:
		return fmt.Sprintf("%s (%s, web size)", what, count)
	case web:
		return fmt.Sprintf("%s (%s, %s + web size)", what, count, studio.SizeText(size))
	}
	return fmt.Sprintf("%s (%s, %s)", what, count, studio.SizeText(size))
}

// zipCollection streams a gallery and every set the visitor may download
// as one ZIP, a folder per set.
func (h *Handler) zipCollection(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	if v.g.ParentID != 0 {
		h.notFound(w, r) // a collection is asked for on its top gallery
		return
	}
	if collectionAsksPIN(v.g, v.d.Download) {
		h.pinForm(w, r, v, http.StatusForbidden, r.URL.Path, "")
		return
	}
	_, all, pinFirst, _, err := h.collection(r.Context(), r, v.gen, v.g, v.g.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var parts []zipPart // what may be downloaded now
	for _, pt := range all {
		if !pt.pinFirst {
			parts = append(parts, pt)
		}
	}
	if pinFirst && !v.full() {
		// Part of it downloads only after the top's PIN, and the offer
		// counted that part: the PIN first, then all of it.
		h.pinForm(w, r, v, http.StatusForbidden, r.URL.Path, "")
		return
	}
	if len(parts) == 0 {
		h.errorPage(w, r, http.StatusForbidden, "Downloads are off", "The photographer has not made this gallery's photos available for download.")
		return
	}
	h.streamZip(w, r, v, parts, v.g.Title, "collection")
}

// collectionOffers fills a gallery page's tabs between sets and its
// "Download all" offers: the whole collection and this gallery alone.
func (h *Handler) collectionOffers(ctx context.Context, r *http.Request, v *visit, d *galleryData, photos []db.Photo) error {
	top := v.g
	if v.parent != nil {
		top = *v.parent
	}
	tabs, parts, pinFirst, topDown, err := h.collection(ctx, r, v.gen, top, v.g.ID)
	if err != nil {
		return err
	}
	d.Sets = tabs
	if tabs == nil || len(parts) == 0 || (len(parts) == 1 && parts[0].folder == "" && top.ID == v.g.ID) {
		return nil // nothing more than this gallery alone
	}
	// Direct only where the route answers with the archive, not a PIN
	// form (a set's visitor who does not hold the top's PIN).
	d.Collection = &zipChoice{URL: galleryPath(top.Slug) + "/collection.zip", Direct: !pinFirst && !collectionAsksPIN(top, topDown),
		Label: zipLabel("Whole collection", parts)}
	if slices.ContainsFunc(parts, func(pt zipPart) bool { return pt.unseen }) {
		// Part of it is behind a PIN to look at it: how many photos and
		// how large is for those who hold the PIN, as the PIN page tells
		// nothing but the title.
		d.Collection.Label = "Whole collection (PIN needed)"
	}
	if d.DownloadsOn && len(photos) > 0 {
		d.ZipLabel = zipLabel("Only “"+v.g.Title+"”", []zipPart{{photos: photos, downloads: v.g.Downloads}})
	}
	return nil
}
