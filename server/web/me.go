package web

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

// me is a client's dashboard: what the login opens now, as studio.Opens
// decides it (the one access decision), newest first, each gallery's sets
// under it.
func (h *Handler) me(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	ctx := r.Context()
	sess, cl, ok := h.clientSession(w, r)
	if !ok {
		return
	}
	all, err := h.store.Galleries(ctx)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	d := meData{base: h.base(r, cl.Name), Name: cl.Name}
	d.Preview = sess.Preview
	gen := h.reads.sync(ctx, h.store)
	top := map[int64]int{} // a gallery's index in d.Galleries
	for _, o := range studio.Opens(studio.Ordered(all), cl.Galleries, h.now()) {
		if o.Unreachable != "" {
			continue
		}
		c, err := h.card(ctx, gen, o.Gallery)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		c.Until = prettyDate(o.Decision.ExpiresOn())
		if i, ok := top[o.Gallery.ParentID]; ok && o.Gallery.ParentID != 0 {
			d.Galleries[i].Sets = append(d.Galleries[i].Sets, c)
			continue
		}
		top[o.Gallery.ID] = len(d.Galleries)
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
