package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
)

// galleryCard is a gallery on the home page or a client's dashboard.
type galleryCard struct {
	Title, URL, Date, Until string
	Photos                  int
	Cover                   *photoView
}

type homeData struct {
	base
	Listed  []galleryCard
	Message string
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
	d := homeData{base: h.base(r, ""), Message: msg}
	now := h.now()
	for _, g := range all {
		if g.Listed && g.Access == db.Public && g.Published && !g.Expired(now) && g.ParentID == 0 {
			c, err := h.card(ctx, g)
			if err != nil {
				h.serverError(w, r, err)
				return
			}
			d.Listed = append(d.Listed, c)
		}
	}
	h.render(w, r, status, "home", d)
}

func (h *Handler) card(ctx context.Context, g db.Gallery) (galleryCard, error) {
	c := galleryCard{Title: g.Title, URL: galleryPath(g.Slug), Date: prettyDate(g.EventDate), Photos: g.Photos}
	if e := g.ExpiresOn(); e != "" {
		c.Until = prettyDate(e)
	}
	cover, err := h.coverOf(ctx, g)
	if err != nil {
		return c, err
	}
	if cover != nil {
		pv := photoViewOf(g.Slug, 0, *cover)
		c.Cover = &pv
	}
	return c, nil
}

// login opens a client's dashboard with their access code. Wrong codes are
// throttled per address like PINs, and every answer takes at least
// loginFloor, so that a wrong code takes as long as a right one.
func (h *Handler) login(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	ctx := r.Context()
	start := time.Now()
	defer func() {
		if d := h.loginFloor - time.Since(start); d > 0 {
			time.Sleep(d)
		}
	}()
	addr := h.clientAddr(r)
	th := throttle{store: h.store, now: h.now}
	key := loginKey(addr)
	wait, err := th.wait(ctx, key)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(wait)))
		h.renderHome(w, r, http.StatusTooManyRequests, "Too many wrong tries. Please wait "+humanWait(wait)+" and try again.")
		return
	}
	code := db.NormalizeCode(r.PostFormValue("code"))
	c, err := h.store.ClientByCode(ctx, code)
	if err != nil && !errors.Is(err, db.ErrNotFound) {
		h.serverError(w, r, err)
		return
	}
	if err != nil || code == "" || !db.EqualSecret(c.Code, code) {
		wait, err := th.fail(ctx, key)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if err := h.store.AddEvent(ctx, db.Event{Kind: db.EventLoginFail, Address: addr}); err != nil {
			h.log.Error("record event", "err", err)
		}
		msg := "That access code is not right. Please check it and try again."
		if wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter(wait)))
			msg += " You can try again in " + humanWait(wait) + "."
		}
		h.renderHome(w, r, http.StatusForbidden, msg)
		return
	}
	if err := th.ok(ctx, key); err != nil {
		h.serverError(w, r, err)
		return
	}
	// A fresh session on every login: the old token ends.
	if old, err := r.Cookie(clientCookie); err == nil {
		h.store.DeleteSession(ctx, old.Value)
	}
	token, sess, err := h.store.CreateSession(ctx, db.Session{ClientID: c.ID, ExpiresAt: h.now().Add(SessionTTL)})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.setCookie(w, r, clientCookie, token, int(SessionTTL/time.Second))
	h.store.TouchClient(ctx, c.ID)
	if err := h.store.AddEvent(ctx, db.Event{Kind: db.EventLogin, ClientID: c.ID, SessionID: sess.ID, Address: addr}); err != nil {
		h.log.Error("record event", "err", err)
	}
	http.Redirect(w, r, "/me", http.StatusSeeOther)
}

// logout ends the client session.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, _ httprouter.Params) {
	if c, err := r.Cookie(clientCookie); err == nil {
		if err := h.store.DeleteSession(r.Context(), c.Value); err != nil {
			h.serverError(w, r, err)
			return
		}
	}
	h.setCookie(w, r, clientCookie, "", -1)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

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
	now := h.now()
	parents := map[int64]db.Gallery{}
	for _, g := range gs {
		parents[g.ID] = g
	}
	for _, g := range gs {
		if !g.Published || g.Expired(now) {
			continue
		}
		if g.ParentID != 0 {
			p, ok := parents[g.ParentID]
			if !ok {
				if p, err = h.store.GallerySettingsByID(ctx, g.ParentID); err != nil {
					h.serverError(w, r, err)
					return
				}
			}
			if !p.Published || p.Expired(now) {
				continue
			}
		}
		c, err := h.card(ctx, g)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		d.Galleries = append(d.Galleries, c)
	}
	if !sess.Preview {
		h.store.TouchClient(ctx, cl.ID)
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
	ag := g.ID
	if g.Access == db.Inherit {
		ag = g.ParentID
	}
	h.setCookie(w, r, galleryCookie(ag), token, max(ttl, 1))
	http.Redirect(w, r, galleryPath(g.Slug), http.StatusSeeOther)
}
