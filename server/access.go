package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"pinhole/db"
)

// Cookie names. A PIN session's cookie is named after the gallery whose PIN
// it holds (a sub-gallery that inherits uses its parent's), so a visitor can
// hold several galleries open at once.
const (
	clientCookie  = "pinhole_c"
	galleryPrefix = "pinhole_g"
)

func galleryCookie(accessGalleryID int64) string {
	return galleryPrefix + strconv.FormatInt(accessGalleryID, 10)
}

// visit is one request's view of one gallery: what it is, whose access
// rules apply, and what this visitor may do there.
type visit struct {
	g      db.Gallery  // the gallery asked for
	ag     db.Gallery  // the gallery whose access and PIN apply (g, or its parent)
	parent *db.Gallery // g's parent, if any
	access db.Access

	sess   *db.Session // the session in effect for this gallery, if any
	client *db.Client  // a client login that opens this gallery
	full   bool        // PIN typed, client grant, or photographer's preview
	addr   string
	gen    uint64 // the database generation the request's reads belong to
}

// canView: the grid and the renditions.
func (v *visit) canView() bool { return v.access != db.PINAccess || v.full }

// needsPIN: downloads are on, but would need the PIN first.
func (v *visit) needsPIN() bool {
	return v.g.Downloads != db.DownloadsOff && v.access != db.Public && !v.full
}

// canDownload: single photos and ZIPs.
func (v *visit) canDownload() bool { return v.g.Downloads != db.DownloadsOff && !v.needsPIN() }

// preview: the photographer looking as a client; nothing is recorded.
func (v *visit) preview() bool { return v.sess != nil && v.sess.Preview }

// open finds the gallery of a request and decides what the visitor may do.
// When the gallery is unknown or unreachable it writes the page and
// returns nil.
func (h *Handler) open(w http.ResponseWriter, r *http.Request, slug string) *visit {
	ctx := r.Context()
	now := h.now()
	gen := h.reads.sync(ctx, h.store)
	g, err := h.gallerySettings(ctx, gen, slug)
	if errors.Is(err, db.ErrNotFound) {
		h.notFound(w, r)
		return nil
	}
	if err != nil {
		h.serverError(w, r, err)
		return nil
	}
	v := &visit{g: g, ag: g, access: g.Access, addr: h.clientAddr(r), gen: gen}
	if g.ParentID != 0 {
		p, err := h.gallerySettingsByID(ctx, gen, g.ParentID)
		if err != nil {
			h.serverError(w, r, err)
			return nil
		}
		v.parent = &p
		if g.Access == db.Inherit {
			v.ag, v.access = p, p.Access
		}
	}
	switch {
	case !g.Published || (v.parent != nil && !v.parent.Published):
		h.errorPage(w, r, http.StatusNotFound, "This gallery is not available", "It is not published yet. Please contact the photographer.")
		return nil
	case g.Expired(now) || (v.parent != nil && v.parent.Expired(now)):
		h.errorPage(w, r, http.StatusGone, "This gallery has expired", "This gallery has expired — please contact the photographer.")
		return nil
	}
	if err := h.findSession(ctx, r, v); err != nil {
		h.serverError(w, r, err)
		return nil
	}
	return v
}

// findSession looks at the visitor's cookies: a client login that was
// granted this gallery, else a PIN session valid for it.
func (h *Handler) findSession(ctx context.Context, r *http.Request, v *visit) error {
	if c, err := r.Cookie(clientCookie); err == nil {
		sess, err := h.sessionByToken(ctx, v.gen, c.Value)
		switch {
		case errors.Is(err, db.ErrNotFound):
		case err != nil:
			return err
		case sess.ClientID != 0:
			ok, err := h.clientCanOpen(ctx, v.gen, sess.ClientID, v.g.ID)
			if err != nil {
				return err
			}
			if ok {
				cl, err := h.clientByID(ctx, v.gen, sess.ClientID)
				if err != nil && !errors.Is(err, db.ErrNotFound) {
					return err
				}
				if err == nil {
					v.sess, v.client, v.full = &sess, &cl, true
					return h.touch(ctx, &sess)
				}
			}
		}
	}
	c, err := r.Cookie(galleryCookie(v.ag.ID))
	if err != nil {
		return nil
	}
	sess, err := h.sessionByToken(ctx, v.gen, c.Value)
	if errors.Is(err, db.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if sess.ClientID != 0 || sess.GalleryID == 0 {
		return nil
	}
	covers, err := h.sessionCovers(ctx, sess, v)
	if err != nil || !covers {
		return err
	}
	v.sess = &sess
	if sess.Preview {
		v.full = true
	} else if sess.PINVersion != 0 && sess.PINVersion == v.ag.PINVersion {
		v.full = true
	}
	return h.touch(ctx, &sess)
}

// sessionCovers reports whether a gallery session opens the gallery of v:
// its own gallery; a sub-gallery that inherits the PIN it was opened with;
// or, when that session came through a sub-gallery's link that inherits
// and allows navigating up, the parent.
func (h *Handler) sessionCovers(ctx context.Context, sess db.Session, v *visit) (bool, error) {
	switch sess.GalleryID {
	case v.g.ID:
		return true, nil
	case v.ag.ID:
		return v.g.Access == db.Inherit, nil
	}
	from, err := h.gallerySettingsByID(ctx, v.gen, sess.GalleryID)
	if errors.Is(err, db.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return from.ParentID == v.g.ID && from.Access == db.Inherit && from.NavigateUp, nil
}

// touch slides a session's expiry, at most once a minute per session so
// that a page of thumbnails does not write to the database 200 times.
func (h *Handler) touch(ctx context.Context, sess *db.Session) error {
	now := h.now()
	if now.Sub(sess.LastSeenAt) < time.Minute || sess.Preview {
		return nil
	}
	return h.store.TouchSession(ctx, sess.ID, now.Add(SessionTTL))
}

// photoOf finds a photo of the visited gallery by the id in the URL; a
// photo of another gallery is simply not found.
func (h *Handler) photoOf(w http.ResponseWriter, r *http.Request, v *visit, idText string) (db.Photo, bool) {
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || id <= 0 {
		h.notFound(w, r)
		return db.Photo{}, false
	}
	p, err := h.photo(r.Context(), v.gen, v.g.ID, id)
	if errors.Is(err, db.ErrNotFound) {
		h.notFound(w, r)
		return db.Photo{}, false
	}
	if err != nil {
		h.serverError(w, r, fmt.Errorf("photo %d: %w", id, err))
		return db.Photo{}, false
	}
	return p, true
}

// event records what a visitor did, unless the photographer is previewing.
func (h *Handler) event(ctx context.Context, v *visit, kind string, photoID int64, detail string) {
	if v.preview() {
		return
	}
	e := db.Event{GalleryID: v.g.ID, PhotoID: photoID, Kind: kind, Address: v.addr, Detail: detail, At: h.now()}
	if v.sess != nil {
		e.SessionID = v.sess.ID
		e.Visitor = v.sess.VisitorName
	}
	if v.client != nil {
		e.ClientID = v.client.ID
	}
	if err := h.store.AddEvent(ctx, e); err != nil {
		h.log.Error("record event", "kind", kind, "err", err)
	}
}
