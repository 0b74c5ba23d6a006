package web

import (
	"net/http"

	"github.com/julienschmidt/httprouter"
)

type photoData struct {
	base
	GalleryTitle string
	GalleryURL   string
	Photo        photoView
	Count        int
	Prev, Next   *photoView
	CanDownload  bool
	NeedsPIN     bool
	CanFav       bool
}

// photoPage is one photo on its own page: the viewer without JavaScript.
func (h *Handler) photoPage(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	if !v.canView() {
		h.pinForm(w, r, v, http.StatusForbidden, r.URL.Path, "")
		return
	}
	p, ok := h.photoOf(w, r, v, ps.ByName("id"))
	if !ok {
		return
	}
	photos, err := h.photos(r.Context(), v.gen, v.g.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := photoData{base: h.base(r, p.Filename+" — "+v.g.Title), GalleryTitle: v.g.Title, GalleryURL: galleryPath(v.g.Slug),
		Count: len(photos), CanDownload: v.canDownload(), NeedsPIN: v.needsPIN()}
	d.Preview, d.Unpublished = v.preview(), v.preview() && !v.d.Open()
	if r.URL.Query().Get("dl") == "1" && v.canDownload() {
		d.StartDownload = galleryPath(v.g.Slug) + "/d/" + ps.ByName("id")
	}
	d.CanFav = !v.preview()
	_, favs, err := h.picks(r.Context(), r, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	for i, q := range photos {
		if q.ID != p.ID {
			continue
		}
		d.Photo = photoViewOf(v.g.Slug, i, q)
		d.Photo.Fav = favs[q.ID]
		if i > 0 {
			pv := photoViewOf(v.g.Slug, i-1, photos[i-1])
			d.Prev = &pv
		}
		if i+1 < len(photos) {
			nv := photoViewOf(v.g.Slug, i+1, photos[i+1])
			d.Next = &nv
		}
	}
	h.render(w, r, http.StatusOK, "photo", d)
}
