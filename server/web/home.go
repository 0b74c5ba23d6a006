package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/studio"
)

// galleryCard is a gallery on the home page or a client's dashboard.
type galleryCard struct {
	Title, URL, Date, Until string
	Photos                  int
	Cover                   *photoView
	Sets                    []galleryCard // a collection's sets, on a client's dashboard
}

type homeData struct {
	base
	Listed    []galleryCard
	Message   string
	Returning bool // the visitor has been here before
}

// seenCookie marks a browser that has seen the home page, so that it is
// welcomed back next time; it says nothing else about the visitor.
const seenCookie = "pinhole_seen"

// returning reports whether the visitor has been here: any cookie of ours
// (the home page seen, a gallery opened, a login used, favourites picked).
func returning(r *http.Request) bool {
	for _, c := range r.Cookies() {
		if strings.HasPrefix(c.Name, "pinhole_") {
			return true
		}
	}
	return false
}

// home is the studio's front page: the client login form and the
// galleries the photographer listed as a portfolio.
func (h *Handler) home(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	h.renderHome(w, r, http.StatusOK, "")
}

func (h *Handler) renderHome(w http.ResponseWriter, r *http.Request, status int, msg string) {
	ctx := r.Context()
	all, err := h.store.Galleries(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := homeData{base: h.base(r, ""), Message: msg, Returning: returning(r)}
	h.setCookie(w, r, seenCookie, "1", 365*24*60*60)
	now, gen := h.now(), h.reads.sync(ctx, h.store)
	for _, g := range all {
		if g.ParentID == 0 && studio.Decide(g, nil, studio.Visitor{}, now).Listed {
			c, err := h.card(ctx, gen, g)
			if err != nil {
				h.serverError(w, r, err)
				return
			}
			d.Listed = append(d.Listed, c)
		}
	}
	h.render(w, r, status, "home", d)
}

func (h *Handler) card(ctx context.Context, gen uint64, g db.Gallery) (galleryCard, error) {
	c := galleryCard{Title: g.Title, URL: galleryPath(g.Slug), Date: prettyDate(g.EventDate), Photos: g.Photos}
	if e := g.ExpiresOn(); e != "" {
		c.Until = prettyDate(e)
	}
	cover, err := h.coverOf(ctx, gen, g)
	if err != nil {
		return c, err
	}
	if cover != nil {
		pv := photoViewOf(g.Slug, 0, *cover)
		c.Cover = &pv
	}
	return c, nil
}
