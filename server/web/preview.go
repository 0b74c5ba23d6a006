package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/studio"
)

// PreviewTTL is how long a photographer's preview link works.
const PreviewTTL = 15 * time.Minute

// previewLink opens a photographer's preview: the client's dashboard or a
// gallery exactly as a client sees it, marked "Preview", recording nothing.
func (h *Handler) previewLink(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	ctx := r.Context()
	token := ps.ByName("token")
	sess, err := h.store.SessionByToken(ctx, token)
	if errors.Is(err, db.ErrNotFound) || (err == nil && !sess.Preview) {
		h.errorPage(w, r, http.StatusGone, "This preview has expired", "Preview links work for 15 minutes. Make a new one with pinhole client preview or pinhole gallery preview.")
		return
	}
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	ttl := int(time.Until(sess.ExpiresAt) / time.Second)
	if sess.ClientID != 0 {
		h.setCookie(w, r, clientCookie, token, max(ttl, 1))
		http.Redirect(w, r, "/me", http.StatusSeeOther)
		return
	}
	g, err := h.store.GallerySettingsByID(ctx, sess.GalleryID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var parent *db.Gallery
	if g.ParentID != 0 {
		p, err := h.store.GallerySettingsByID(ctx, g.ParentID)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		parent = &p
	}
	ag := studio.Decide(g, parent, studio.Visitor{}, h.now()).PINGallery.ID
	h.setCookie(w, r, galleryCookie(ag), token, max(ttl, 1))
	http.Redirect(w, r, galleryPath(g.Slug), http.StatusSeeOther)
}
