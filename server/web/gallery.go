package web

import (
	"context"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// renditions is media's table of renditions, largest first: the pages
// offer each in srcset, and routes serves each under its code.
var renditions = media.Renditions()

// renditionNamed is the rendition of the table called name (media.Preview…).
func renditionNamed(name string) media.Rendition {
	r, _ := media.RenditionNamed(name)
	return r
}

// fit is the size of rendition r of a w×h photo (3:2 when the photo's size
// is unknown).
func fit(w, h int, r media.Rendition) (int, int) {
	if w <= 0 || h <= 0 {
		return r.Long, r.Long * 2 / 3
	}
	return r.Fit(w, h)
}

// photoView is one photo as the pages show it.
type photoView struct {
	ID                 int64
	Index              int // 1-based position in the gallery
	Name               string
	Page, Thumb, Large string
	Download           string
	TW, TH, LW, LH     int // thumbnail's and preview's sizes
	Fav                bool
	prefix, idv        string // "/g/SLUG/" and "ID?v=HASH": a rendition is prefix+code+"/"+idv
	w, h               int    // the photo's size
}

// source is one entry of a srcset: a rendition's URL and its width.
type source struct {
	URL string
	W   int
}

// Sources are the photo's srcset (the template "srcset" writes it): every
// rendition with its width, largest first; a small photo's renditions of
// one size once, as the largest, whose URL the viewer and the photo's
// page share.
func (p photoView) Sources() []source {
	out := make([]source, 0, len(renditions))
	last := 0
	for _, r := range renditions {
		w, _ := fit(p.w, p.h, r)
		if w == last {
			continue
		}
		last = w
		out = append(out, source{URL: p.prefix + r.Code + "/" + p.idv, W: w})
	}
	return out
}

// Ratio is the thumbnail's width over its height, which the stylesheet
// justifies the grid's rows by (data-r).
func (p photoView) Ratio() string {
	return strconv.FormatFloat(float64(p.TW)/float64(max(p.TH, 1)), 'f', 4, 64)
}

// rowHeights are the grid's row heights by window width, as site.css
// (--row) and site.js (rowHeight) lay the rows out: 150 px below 600 px
// wide, and so on; the last holds for any wider window.
var rowHeights = []struct{ below, row int }{{600, 150}, {1400, 240}, {2000, 300}, {0, 380}}

// masonrySizes are the widths of site.css's columns, the grid a browser
// without typed attr() lays out with scripting off.
const masonrySizes = "(scripting: none) and (max-width: 699px) 50vw, (scripting: none) and (max-width: 1199px) 33vw, " +
	"(scripting: none) and (max-width: 1899px) 25vw, (scripting: none) 20vw"

// Sizes is the tile's sizes attribute. Chromium lays the lazy tile out
// before it loads it and takes that width ("auto"). A browser without
// sizes="auto" may start loading a tile in view before site.js has laid
// the rows out and given the tile its width: for it, the width the tile
// starts from in its row (its shape times the row height). A row only
// grows its tiles, so the first rendition asked for is never more than
// twice what the tile needs; if it is too small, the width site.js then
// gives fetches the next. With scripting off, the masonry columns.
func (p photoView) Sizes() string {
	var b strings.Builder
	b.WriteString("auto, " + masonrySizes)
	r := float64(p.TW) / float64(max(p.TH, 1))
	for _, h := range rowHeights {
		w := int(math.Ceil(r * float64(h.row)))
		if h.below > 0 {
			fmt.Fprintf(&b, ", (max-width: %dpx) %dpx", h.below-1, w)
		} else {
			fmt.Fprintf(&b, ", %dpx", w)
		}
	}
	return b.String()
}

func galleryPath(slug string) string { return "/g/" + slug }

// FavURL is the URL that sets or clears the photo's heart.
func (p photoView) FavURL() string { return strings.Replace(p.Page, "/p/", "/fav/", 1) }

func photoViewOf(slug string, i int, p db.Photo) photoView {
	id := strconv.FormatInt(p.ID, 10)
	// Renditions are cached as immutable: the content's hash in the URL
	// keeps a reused photo id from showing a stale picture.
	idv := id + "?v=" + p.SHA256[:min(12, len(p.SHA256))]
	prefix := galleryPath(slug) + "/"
	thumb, preview := renditionNamed(media.Thumbnail), renditionNamed(media.Preview)
	pv := photoView{ID: p.ID, Index: i + 1, Name: p.Filename,
		Page:     prefix + "p/" + id,
		Thumb:    prefix + thumb.Code + "/" + idv,
		Large:    prefix + preview.Code + "/" + idv,
		Download: prefix + "d/" + id,
		prefix:   prefix, idv: idv, w: p.Width, h: p.Height,
	}
	pv.TW, pv.TH = fit(p.Width, p.Height, thumb)
	pv.LW, pv.LH = fit(p.Width, p.Height, preview)
	return pv
}

// childCard is a sub-gallery listed on its parent's page.
type childCard struct {
	Title, URL, Date string
	Photos           int
	Cover            *photoView
}

type galleryData struct {
	base
	G           db.Gallery
	URL         string
	Date        string
	Photos      []photoView
	Grid        template.HTML // gridMark, where the page's list items go (tilesHTML)
	Pager       pager
	Shown       int // photos in the list (all, or the favourites), over every page
	Children    []childCard
	Up          *childCard
	CanDownload bool
	NeedsPIN    bool // downloads need the PIN first
	DownloadsOn bool
	ZipURL      string
	ZipLabel    string
	Expires     string
	Hero        *heroView // the chosen cover, full width

	Sets       []setTab   // tabs between a collection's galleries
	Collection *zipChoice // the whole collection as one ZIP

	CanFav    bool // hearts (not in a preview)
	FavOnly   bool // showing only the visitor's favourites
	FavCount  int
	FavName   string
	All       int // photos in the gallery
	FavZipURL string
	FavText   string     // the count beside "Favourites": "3", or "3 of 25" under a limit
	SendURL   string     // where "Send my selection" posts
	SendState string     // "", "unsent", "sent" or "changed" (see sendState)
	Next      string     // this page, for forms that come back to it
	SetPicks  []setPicks // on a parent's favourites view: its sets' picks
}

// prettyDate turns YYYY-MM-DD into "14 June 2026".
func prettyDate(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 January 2006")
}

// gallery shows a gallery's grid, or its PIN form.
func (h *Handler) gallery(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	ctx := r.Context()
	if !v.canView() {
		h.pinForm(w, r, v, http.StatusOK, "", "")
		return
	}
	photos, err := h.photos(ctx, v.gen, v.g.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := galleryData{base: h.base(r, v.g.Title), G: v.g, URL: galleryPath(v.g.Slug),
		Date: prettyDate(v.g.EventDate), CanDownload: v.canDownload(),
		NeedsPIN: v.needsPIN(), DownloadsOn: v.g.Downloads != db.DownloadsOff,
		ZipURL: galleryPath(v.g.Slug) + "/zip", Expires: v.d.ExpiresOn()} // a set closes with its parent
	d.Preview, d.Unpublished = v.preview(), v.preview() && !v.d.Open()
	d.StartDownload = startDownload(r, v)
	if d.Expires != "" {
		d.Expires = prettyDate(d.Expires)
	}
	own, favs, err := h.picks(ctx, r, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.CanFav, d.FavCount, d.All = !v.preview(), len(favs), len(photos)
	if own != nil {
		d.FavName = own.Name
	}
	list, ok := parseList(r.URL.Query())
	if !ok {
		h.notFound(w, r)
		return
	}
	d.FavOnly = list.Fav
	d.Next, d.SendURL = list.url(v.g.Slug), galleryPath(v.g.Slug)+"/send"
	if d.CanFav {
		coll, err := h.shelves(ctx, r, v.top(), shelf{v: v, list: own, picks: favs})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		t, _, err := h.countPicks(ctx, r, v, own, favs, coll)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		d.FavText, d.SendState = t.countText(), sendState(coll)
		if d.FavOnly && v.parent == nil {
			if d.SetPicks, err = h.setPicksOf(ctx, v, coll); err != nil {
				h.serverError(w, r, err)
				return
			}
		}
	}
	d.FavZipURL = galleryPath(v.g.Slug) + "/favourites.zip"
	// The list shown, as positions in the gallery: only a page of it is
	// rendered, so a page costs the same whatever the gallery's size.
	shown := len(photos)
	var picked []int
	if d.FavOnly {
		for i, p := range photos {
			if favs[p.ID] {
				picked = append(picked, i)
			}
		}
		shown = len(picked)
	}
	lo, hi, pg := list.span(v.g.Slug, shown)
	d.Pager, d.Shown = pg, shown
	d.Photos = make([]photoView, 0, hi-lo)
	for j := lo; j < hi; j++ {
		i := j
		if picked != nil {
			i = picked[j]
		}
		pv := photoViewOf(v.g.Slug, i, photos[i])
		pv.Fav = favs[photos[i].ID]
		d.Photos = append(d.Photos, pv)
	}
	grid, err := h.tilesHTML(tiles{Photos: d.Photos, Hearts: d.CanFav, Next: list.url(v.g.Slug)})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d.Grid = gridMark
	if r.URL.Query().Get("part") == "grid" {
		h.renderWith(w, r, http.StatusOK, "gallery", "gridpart", gridPart{Grid: gridMark, Pager: pg}, grid)
		return
	}
	if !d.FavOnly && list.Page == 1 {
		if d.Hero, err = h.hero(ctx, v); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	if d.DownloadsOn {
		var size int64
		for _, p := range photos {
			size += p.Bytes
		}
		if v.g.Downloads == db.DownloadsWeb {
			d.ZipLabel = fmt.Sprintf("Download all (%s, web size)", plural(len(photos), "photo", "photos"))
		} else {
			d.ZipLabel = fmt.Sprintf("Download all (%s, %s)", plural(len(photos), "photo", "photos"), studio.SizeText(size))
		}
	}
	if err := h.collectionOffers(ctx, r, v, &d, photos); err != nil {
		h.serverError(w, r, err)
		return
	}
	if r.URL.Query().Get("dl") == "collection.zip" && d.Collection != nil && d.Collection.Direct {
		// The collection may download when this gallery's own photos do not.
		d.StartDownload = d.Collection.URL
	}
	if d.Children, err = h.childCards(ctx, r, v); err != nil {
		h.serverError(w, r, err)
		return
	}
	if v.parent != nil && v.g.NavigateUp {
		d.Up = &childCard{Title: v.parent.Title, URL: galleryPath(v.parent.Slug)}
	}
	h.viewed(ctx, w, r, v)
	h.slideCookie(w, r, v)
	h.renderWith(w, r, http.StatusOK, "gallery", "layout.html", d, grid)
}

// childCards lists the sub-galleries a visitor can reach from a parent.
// A child behind its own PIN shows no cover until it is opened.
func (h *Handler) childCards(ctx context.Context, r *http.Request, v *visit) ([]childCard, error) {
	if v.g.ParentID != 0 {
		return nil, nil
	}
	kids, err := h.store.Children(ctx, v.g.ID)
	if err != nil {
		return nil, err
	}
	now := h.now()
	var out []childCard
	for _, k := range kids {
		kv := &visit{g: k, parent: &v.g, gen: v.gen}
		if _, err := h.decide(ctx, r, kv, now); err != nil {
			return nil, err
		}
		kd := kv.d
		if !kd.Open() && !kd.View {
			continue
		}
		c := childCard{Title: k.Title, URL: galleryPath(k.Slug), Date: prettyDate(k.EventDate), Photos: k.Photos}
		opens := kd.View
		if opens && k.Photos > 0 {
			cover, err := h.coverOf(ctx, v.gen, k)
			if err != nil {
				return nil, err
			}
			if cover != nil {
				pv := photoViewOf(k.Slug, 0, *cover)
				c.Cover = &pv
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// coverOf is a gallery's cover photo: the chosen one, else the first.
func (h *Handler) coverOf(ctx context.Context, gen uint64, g db.Gallery) (*db.Photo, error) {
	if g.CoverID != 0 {
		p, err := h.photo(ctx, gen, g.ID, g.CoverID)
		if err == nil {
			return &p, nil
		}
	}
	ps, err := h.photos(ctx, gen, g.ID)
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return &ps[0], nil
}

// ensureSession gives a visitor without a session a plain one, which opens
// nothing by itself (pin_version 0 never matches) but keeps a favourites
// name. Only picking a favourite needs one: merely looking costs no row.
func (h *Handler) ensureSession(ctx context.Context, w http.ResponseWriter, r *http.Request, v *visit) error {
	if v.sess != nil {
		return nil
	}
	now := h.now()
	token, sess, err := h.store.CreateSession(ctx, db.Session{GalleryID: v.g.ID, ExpiresAt: now.Add(firstVisitTTL)})
	if err != nil {
		return err
	}
	v.sess = &sess
	h.setCookie(w, r, galleryCookie(v.ag.ID), token, int(SessionTTL/time.Second))
	return nil
}

// viewed records "gallery opened" once per session and day; a visitor
// without a session is counted instead (countView).
func (h *Handler) viewed(ctx context.Context, w http.ResponseWriter, r *http.Request, v *visit) {
	if v.preview() {
		return
	}
	if v.sess == nil {
		h.countView(w, r, v)
		return
	}
	now := h.now()
	y, m, d := now.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, now.Location())
	seen, err := h.store.SessionEventSince(ctx, v.sess.ID, v.g.ID, db.EventView, day)
	if err != nil {
		h.log.Error("look up view", "err", err)
		return
	}
	if !seen {
		h.event(ctx, v, db.EventView, 0, "")
	}
}

// slideCookie renews the cookie of the session in use, so that the browser
// keeps it as long as the session lives: 30 days after the last visit.
func (h *Handler) slideCookie(w http.ResponseWriter, r *http.Request, v *visit) {
	if v.sess == nil || v.sess.Preview {
		return
	}
	name := galleryCookie(v.ag.ID)
	if v.client != nil {
		name = clientCookie
	}
	if c, err := r.Cookie(name); err == nil {
		h.setCookie(w, r, name, c.Value, int(SessionTTL/time.Second))
	}
}
