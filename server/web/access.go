package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"pinhole/db"
	"pinhole/studio"
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
// rules apply, and what this visitor may do there, as studio.Decide says.
type visit struct {
	g      db.Gallery  // the gallery asked for
	ag     db.Gallery  // the gallery whose access and PIN apply (g, or its parent)
	parent *db.Gallery // g's parent, if any
	d      studio.Decision

	sess   *db.Session // the visitor's session for this gallery, if any
	client *db.Client  // a client login that opens this gallery
	addr   string
	gen    uint64 // the database generation the request's reads belong to
}

// canView: the grid and the renditions.
func (v *visit) canView() bool { return v.d.View }

// needsPIN: downloads are on, but would need the PIN first.
func (v *visit) needsPIN() bool { return v.d.Reason == studio.ReasonDownloadPIN }

// canDownload: single photos and ZIPs.
func (v *visit) canDownload() bool { return v.d.Download != db.DownloadsOff }

// full: past the PIN (typed, a client login, or the photographer's preview).
func (v *visit) full() bool { return v.d.By != studio.ByNobody }

// preview: the photographer looking as a client; nothing is recorded.
func (v *visit) preview() bool { return v.sess != nil && v.sess.Preview }

// open finds the gallery of a request and decides what the visitor may do.
// When the gallery is unknown or closed to this visitor it writes the page
// and returns nil.
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
	v := &visit{g: g, addr: h.clientAddr(r), gen: gen}
	if g.ParentID != 0 {
		p, err := h.gallerySettingsByID(ctx, gen, g.ParentID)
		if err != nil {
			h.serverError(w, r, err)
			return nil
		}
		v.parent = &p
	}
	held, err := h.decide(ctx, r, v, now)
	if err != nil {
		h.serverError(w, r, err)
		return nil
	}
	switch {
	case v.d.Gone: // a draft too or not: publishing would not bring it back
		h.errorPage(w, r, http.StatusGone, "This gallery has expired", "Its photos are no longer available at this link. If you still need them, the photographer can help.")
		return nil
	case v.d.Reason == studio.ReasonDraft, v.d.Reason == studio.ReasonParentDraft:
		h.errorPage(w, r, http.StatusNotFound, "This gallery is not available", "It is not published yet. Please contact the photographer.")
		return nil
	}
	switch {
	case v.d.By == studio.ByLogin:
		v.sess, v.client = held.login, held.client
	case v.d.Held:
		v.sess = held.pass
	}
	if v.sess != nil {
		if err := h.touch(ctx, v.sess); err != nil {
			h.serverError(w, r, err)
			return nil
		}
	}
	return v
}

// decide reads what the visitor holds for v.g (a client login, and the
// cookie of the gallery whose PIN applies) and decides what they may do
// there, as a request for v.g itself would: also for a collection's other
// galleries, whose sessions sit in cookies of their own.
func (h *Handler) decide(ctx context.Context, r *http.Request, v *visit, now time.Time) (held, error) {
	// Whose PIN applies names the cookie that may hold this gallery's session.
	v.ag = studio.Decide(v.g, v.parent, studio.Visitor{}, now).PINGallery
	who, hd, err := h.visitor(ctx, r, v)
	if err != nil {
		return hd, err
	}
	v.d = studio.Decide(v.g, v.parent, who, now)
	return hd, nil
}

// held is what a visitor's cookies hold.
type held struct {
	login  *db.Session // a client login's session
	client *db.Client  // that login
	pass   *db.Session // the session in the cookie of the gallery whose PIN applies
}

// visitor reads the visitor's cookies: a client login, and a session in
// the cookie named after the gallery whose PIN applies to v.g.
func (h *Handler) visitor(ctx context.Context, r *http.Request, v *visit) (studio.Visitor, held, error) {
	var who studio.Visitor
	var hd held
	switch sess, err := h.cookieSession(ctx, v.gen, r, clientCookie); {
	case errors.Is(err, db.ErrNotFound):
	case err != nil:
		return who, hd, err
	case sess.ClientID != 0:
		cl, err := h.clientByID(ctx, v.gen, sess.ClientID)
		if err != nil && !errors.Is(err, db.ErrNotFound) {
			return who, hd, err
		}
		if err == nil {
			who.Login, who.Granted = true, cl.GalleryIDs
			hd.login, hd.client = &sess, &cl
		}
	}
	sess, err := h.cookieSession(ctx, v.gen, r, galleryCookie(v.ag.ID))
	if errors.Is(err, db.ErrNotFound) {
		return who, hd, nil
	}
	if err != nil || sess.ClientID != 0 || sess.GalleryID == 0 {
		return who, hd, err
	}
	from := v.g
	if sess.GalleryID != v.g.ID {
		from, err = h.gallerySettingsByID(ctx, v.gen, sess.GalleryID)
		if errors.Is(err, db.ErrNotFound) {
			return who, hd, nil
		}
		if err != nil {
			return who, hd, err
		}
	}
	who.Pass = &studio.Pass{From: from, PINGallery: sess.PINGalleryID, PINVersion: sess.PINVersion, Preview: sess.Preview}
	hd.pass = &sess
	return who, hd, nil
}

// maxSameName is how many cookies of one name are looked up: enough for a
// stale or foreign one beside the visitor's, not a lookup per copy of a
// header stuffed with thousands.
const maxSameName = 4

// cookieSession is the session of the first cookie named name that the
// store knows, or db.ErrNotFound. A browser may send two of one name (one
// set for a parent domain by a sibling site, one left from another path):
// a stale one sent first must not hide the visitor's, or the PIN page
// would come back after every correct PIN.
func (h *Handler) cookieSession(ctx context.Context, gen uint64, r *http.Request, name string) (db.Session, error) {
	for i, c := range r.CookiesNamed(name) {
		if i == maxSameName {
			break
		}
		s, err := h.sessionByToken(ctx, gen, c.Value)
		if !errors.Is(err, db.ErrNotFound) {
			return s, err
		}
	}
	return db.Session{}, db.ErrNotFound
}

// touch slides a session's expiry, at most once a minute per session so
// that a page of thumbnails does not write to the database 200 times.
func (h *Handler) touch(ctx context.Context, sess *db.Session) error {
	now := h.now()
	if now.Sub(sess.LastSeenAt) < time.Minute || sess.Preview {
		return nil
	}
	err := h.store.TouchSession(ctx, sess.ID, now.Add(SessionTTL))
	if errors.Is(err, db.ErrFull) { // the session lives on as it was
		h.log.Warn("session not renewed: the disk is full", "err", err)
		return nil
	}
	return err
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
	if v.sess == nil && v.client == nil && countedKinds[kind] {
		h.tally.add(v.g.ID, kind, h.now())
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
