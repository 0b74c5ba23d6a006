package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
)

type nameData struct {
	base
	Action string
	On     string
	Next   string
}

// favourite sets or clears the visitor's heart on a photo. A client login's
// hearts are the client's; a PIN or link visitor gives a first name the
// first time, kept in the session, so that each person keeps a list. With
// JavaScript the answer is JSON; without, a redirect back (or the name form).
func (h *Handler) favourite(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	ctx := r.Context()
	if !v.canView() {
		h.errorPage(w, r, http.StatusForbidden, "PIN needed", "This gallery needs its PIN.")
		return
	}
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	if v.preview() {
		h.errorPage(w, r, http.StatusForbidden, "Preview", "A preview records no favourites.")
		return
	}
	p, ok := h.photoOf(w, r, v, ps.ByName("id"))
	if !ok {
		return
	}
	if err := h.ensureSession(ctx, w, r, v); err != nil {
		h.serverError(w, r, err)
		return
	}
	if name := cleanVisitorName(r.PostFormValue("name")); name != "" && v.client == nil {
		if err := h.store.SetVisitorName(ctx, v.sess.ID, name); err != nil {
			h.serverError(w, r, err)
			return
		}
		if err := h.store.TouchSession(ctx, v.sess.ID, h.now().Add(SessionTTL)); err != nil {
			h.serverError(w, r, err)
			return
		}
		v.sess.VisitorName = name
	}
	on := r.PostFormValue("on") != "0"
	next := listNext(v.g.Slug, r.PostFormValue("next"))
	owner := v.owner()
	if owner.ClientID == 0 && owner.Name == "" {
		if wantJSON {
			writeJSON(w, http.StatusOK, map[string]any{"needName": true})
			return
		}
		d := nameData{base: h.base(r, v.g.Title), Action: r.URL.Path, On: r.PostFormValue("on"), Next: next}
		h.render(w, r, http.StatusOK, "name", d)
		return
	}
	if err := h.store.SetFavourite(ctx, v.g.ID, p.ID, owner, v.sess.ID, on); err != nil {
		h.serverError(w, r, err)
		return
	}
	kind := db.EventFavourite
	if !on {
		kind = db.EventUnfavorite
	}
	h.event(ctx, v, kind, p.ID, "")
	if wantJSON {
		favs, err := h.store.OwnerFavourites(ctx, v.g.ID, owner)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"on": on, "count": len(favs), "name": owner.Name})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// cleanVisitorName keeps a first name short and printable: no control
// character (C0, DEL, and C1 such as U+009B, which terminals may act on)
// and no bidirectional override that would disguise it where the
// photographer reads it.
func cleanVisitorName(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	for utf8.RuneCountInString(s) > 40 {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// zipFavourites streams the visitor's favourites as a ZIP, with the same
// rules as download-all.
func (h *Handler) zipFavourites(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	ctx := r.Context()
	photos, err := h.photos(ctx, v.gen, v.g.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	favs, err := h.store.OwnerFavourites(ctx, v.g.ID, v.owner())
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	var picked []db.Photo
	for _, p := range photos {
		if favs[p.ID] {
			picked = append(picked, p)
		}
	}
	h.sendZip(w, r, v, picked, v.g.Title+" — favourites", "favourites")
}
