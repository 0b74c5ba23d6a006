package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/studio"
)

type meData struct {
	base
	Name      string
	Galleries []galleryCard
}

// me is a client's dashboard: every gallery granted, newest first, that is
// published and not expired.
func (h *Handler) me(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	ctx := r.Context()
	sess, cl, ok := h.clientSession(w, r)
	if !ok {
		return
	}
	gs, err := h.store.ClientGalleries(ctx, cl.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := meData{base: h.base(r, cl.Name), Name: cl.Name}
	d.Preview = sess.Preview
	now, gen := h.now(), h.reads.sync(ctx, h.store)
	parents := map[int64]db.Gallery{}
	for _, g := range gs {
		parents[g.ID] = g
	}
	who := studio.Visitor{Login: true, Granted: cl.GalleryIDs}
	for _, g := range gs {
		var parent *db.Gallery
		if g.ParentID != 0 {
			p, ok := parents[g.ParentID]
			if !ok {
				if p, err = h.gallerySettingsByID(ctx, gen, g.ParentID); err != nil {
					h.serverError(w, r, err)
					return
				}
			}
			parent = &p
		}
		if !studio.Decide(g, parent, who, now).View {
			continue
		}
		c, err := h.card(ctx, gen, g)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		d.Galleries = append(d.Galleries, c)
	}
	// Last seen, to the minute: a write on every visit would also empty
	// the cache of reads (every gallery's photos) at every visit.
	if !sess.Preview && h.now().Sub(cl.LastSeenAt) >= time.Minute {
		h.store.TouchClient(ctx, cl.ID)
	}
	if !sess.Preview {
		if c, err := r.Cookie(clientCookie); err == nil {
			h.setCookie(w, r, clientCookie, c.Value, int(SessionTTL/time.Second))
		}
	}
	h.render(w, r, http.StatusOK, "me", d)
}

// clientSession finds the visitor's client login, or sends them home.
func (h *Handler) clientSession(w http.ResponseWriter, r *http.Request) (db.Session, db.Client, bool) {
	ctx := r.Context()
	c, err := r.Cookie(clientCookie)
	if err != nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return db.Session{}, db.Client{}, false
	}
	sess, err := h.store.SessionByToken(ctx, c.Value)
	if err == nil && sess.ClientID != 0 {
		cl, err := h.store.ClientByID(ctx, sess.ClientID)
		if err == nil {
			h.touch(ctx, &sess)
			return sess, cl, true
		}
		if !errors.Is(err, db.ErrNotFound) {
			h.serverError(w, r, err)
			return db.Session{}, db.Client{}, false
		}
	} else if err != nil && !errors.Is(err, db.ErrNotFound) {
		h.serverError(w, r, err)
		return db.Session{}, db.Client{}, false
	}
	h.setCookie(w, r, clientCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return db.Session{}, db.Client{}, false
}
