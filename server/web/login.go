package web

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
)

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
	th := h.throttle()
	key := loginKey(addr)
	defer th.lock(key)() // released before the floor's sleep
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
