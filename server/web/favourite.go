package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
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

// listCookie names the cookie that holds a browser's favourites list in a
// gallery: one per gallery, as lists are.
func listCookie(galleryID int64) string { return "pinhole_f" + strconv.FormatInt(galleryID, 10) }

// pickListTTL is how long a browser keeps its list: well beyond a session,
// as a selection may take weeks.
const pickListTTL = 365 * 24 * time.Hour

// pickList is the visitor's own favourites list in the visited gallery, or
// nil: a client login's list; else the list whose token this browser
// holds. A list picked with the gallery's PIN is locked (nil, true) while
// the visitor does not hold that PIN (a renewed PIN, an ended session).
func (h *Handler) pickList(ctx context.Context, r *http.Request, v *visit) (*db.PickList, bool, error) {
	if v.preview() {
		return nil, false, nil
	}
	var l db.PickList
	var err error
	if v.client != nil {
		l, err = h.store.ClientPickList(ctx, v.g.ID, v.client.ID)
	} else {
		c, cerr := r.Cookie(listCookie(v.g.ID))
		if cerr != nil {
			return nil, false, nil
		}
		l, err = h.store.BrowserPickList(ctx, v.g.ID, c.Value)
	}
	if errors.Is(err, db.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if l.WithPIN && v.d.Access != db.Public && !v.full() {
		return nil, true, nil
	}
	return &l, false, nil
}

// picks is the set of photos the visitor's own list holds (empty if none).
func (h *Handler) picks(ctx context.Context, r *http.Request, v *visit) (*db.PickList, map[int64]bool, error) {
	l, _, err := h.pickList(ctx, r, v)
	if err != nil || l == nil {
		return l, map[int64]bool{}, err
	}
	favs, err := h.store.Picks(ctx, l.ID)
	return l, favs, err
}

// picker is the visit of a request that changes the visitor's favourites,
// or nil with the page written: the visitor must see the gallery, and a
// photographer's preview records nothing.
func (h *Handler) picker(w http.ResponseWriter, r *http.Request, slug string) *visit {
	v := h.open(w, r, slug)
	switch {
	case v == nil:
	case !v.canView():
		h.errorPage(w, r, http.StatusForbidden, "PIN needed", "This gallery needs its PIN.")
	case v.preview():
		h.errorPage(w, r, http.StatusForbidden, "Preview", "A preview records no favourites.")
	default:
		return v
	}
	return nil
}

// favourite sets or clears the visitor's heart on a photo. A client login's
// hearts are the login's list; any other browser gets a list of its own on
// its first heart, under a first name it gives once (shown to the
// photographer; two visitors of the same name keep two lists). With
// JavaScript the answer is JSON; without, a redirect back (or the name form).
func (h *Handler) favourite(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.picker(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	ctx := r.Context()
	wantJSON := strings.Contains(r.Header.Get("Accept"), "application/json")
	p, ok := h.photoOf(w, r, v, ps.ByName("id"))
	if !ok {
		return
	}
	if err := h.ensureSession(ctx, w, r, v); err != nil {
		h.serverError(w, r, err)
		return
	}
	name := cleanVisitorName(r.PostFormValue("name"))
	if name != "" && v.client == nil && name != v.sess.VisitorName {
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
	list, locked, err := h.pickList(ctx, r, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if locked {
		// This browser's list was picked with the PIN: it opens again with
		// the PIN, and is not replaced meanwhile.
		h.pinForm(w, r, v, http.StatusForbidden, galleryPath(v.g.Slug), "Your favourites here were picked with the PIN: type it to see and change them.")
		return
	}
	withPIN := v.full() && v.d.Access != db.Public
	switch {
	case list != nil:
		if name != "" && v.client == nil && name != list.Name {
			if err := h.store.NamePickList(ctx, list.ID, name); err != nil {
				h.serverError(w, r, err)
				return
			}
			list.Name = name
		}
	case !on: // nothing to take off a list not started
	case v.client != nil:
		_, l, err := h.store.CreatePickList(ctx, db.PickList{GalleryID: v.g.ID, ClientID: v.client.ID})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		list = &l
	case v.sess.VisitorName == "":
		if wantJSON {
			writeJSON(w, http.StatusOK, map[string]any{"needName": true})
			return
		}
		d := nameData{base: h.base(r, v.g.Title), Action: r.URL.Path, On: r.PostFormValue("on"), Next: next}
		h.render(w, r, http.StatusOK, "name", d)
		return
	default:
		token, l, err := h.store.CreatePickList(ctx, db.PickList{GalleryID: v.g.ID, Name: v.sess.VisitorName, WithPIN: withPIN})
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		h.setCookie(w, r, listCookie(v.g.ID), token, int(pickListTTL/time.Second))
		list = &l
	}
	var t pickCount
	if list != nil {
		full, err := h.setPick(ctx, r, v, list, p.ID, on, withPIN)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		if full != nil {
			msg := fmt.Sprintf("You can pick up to %d photos here, and have picked %d. Take a heart off one to pick another.", full.of, full.count)
			if wantJSON {
				writeJSON(w, http.StatusConflict, map[string]any{"full": true, "message": msg, "count": full.countText()})
				return
			}
			h.errorPage(w, r, http.StatusConflict, "Your selection is full", msg)
			return
		}
		kind := db.EventFavourite
		if !on {
			kind = db.EventUnfavorite
		}
		h.event(ctx, v, kind, p.ID, "")
	}
	if wantJSON {
		own := map[int64]bool{}
		var err error
		if list != nil {
			own, err = h.store.Picks(ctx, list.ID)
		}
		if err == nil {
			t, _, err = h.countPicks(ctx, r, v, list, own, nil)
		}
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		name := ""
		if list != nil {
			name = list.Name
		}
		writeJSON(w, http.StatusOK, map[string]any{"on": on && list != nil, "count": t.count, "of": t.of,
			"countText": t.countText(), "name": name})
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// setPick sets or clears the list's heart on a photo, unless a new heart
// would pass the limit: then it returns the full count and changes nothing.
// The count and the new heart are one step per collection (a parent's limit
// counts its sets' picks), so that hearts sent at once cannot each take the
// one place left.
func (h *Handler) setPick(ctx context.Context, r *http.Request, v *visit, list *db.PickList, photoID int64, on, withPIN bool) (*pickCount, error) {
	if on {
		defer h.pickLocks.lock(strconv.FormatInt(v.top().ID, 10))()
	}
	own, err := h.store.Picks(ctx, list.ID)
	if err != nil {
		return nil, err
	}
	if on && !own[photoID] {
		t, _, err := h.countPicks(ctx, r, v, list, own, nil)
		if err != nil {
			return nil, err
		}
		if t.full() {
			return &t, nil
		}
	}
	return nil, h.store.SetPick(ctx, list.ID, photoID, on, withPIN)
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
	_, favs, err := h.picks(ctx, r, v)
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
