package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
)

// pinData is the PIN screen: the gallery's title and the studio's name,
// nothing else (no photo, no description: link previews must not leak).
type pinData struct {
	base
	Action      string
	Next        string
	Message     string
	ForDownload bool
	Hero        *heroView // the cover, if the photographer shows it here
}

// pinForm asks for the gallery's PIN. next is where a right PIN leads.
func (h *Handler) pinForm(w http.ResponseWriter, r *http.Request, v *visit, status int, next, msg string) {
	d := pinData{base: h.base(r, v.g.Title), Action: galleryPath(v.g.Slug) + "/pin", Next: next, Message: msg,
		ForDownload: v.canView()}
	d.Preview = v.preview()
	var err error
	if d.Hero, err = h.pinHero(r.Context(), v); err != nil {
		h.serverError(w, r, err)
		return
	}
	h.render(w, r, status, "pin", d)
}

// safeNext accepts only a place inside the same gallery.
var nextPattern = regexp.MustCompile(`^/g/[a-z0-9-]+(/(zip|collection\.zip|favourites\.zip|d/[0-9]+|p/[0-9]+))?$`)

func safeNext(slug, next string) string {
	if nextPattern.MatchString(next) && (next == galleryPath(slug) || strings.HasPrefix(next, galleryPath(slug)+"/")) {
		return next
	}
	return galleryPath(slug)
}

// pin checks a typed PIN: a right one starts a session for the gallery; a
// wrong one is recorded and, after FreeTries, makes the next try wait.
func (h *Handler) pin(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	ctx := r.Context()
	next := safeNext(v.g.Slug, r.PostFormValue("next"))
	if v.full() || v.d.Access == db.Public {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	th := h.throttle()
	key := pinKey(v.ag.ID, v.addr)
	defer th.lock(key)()
	wait, err := th.wait(ctx, key)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(retryAfter(wait)))
		h.pinForm(w, r, v, http.StatusTooManyRequests, next,
			"Too many wrong tries. Please wait "+humanWait(wait)+" and try again — your PIN will still work.")
		return
	}
	// A PIN as typed (fullwidth digits, dashes, spaces) is read for the
	// digits it means; what cannot be a PIN at all is no guess and is not
	// counted as one.
	typed := db.NormalizePIN(r.PostFormValue("pin"))
	if db.ValidPIN(typed) != nil {
		h.pinForm(w, r, v, http.StatusBadRequest, next, "A PIN is 4 to 12 digits. Please check the message from your photographer and try again.")
		return
	}
	if v.ag.PIN == "" || !db.EqualSecret(typed, v.ag.PIN) {
		wait, err := th.fail(ctx, key)
		if err != nil {
			h.serverError(w, r, err)
			return
		}
		h.event(ctx, v, db.EventPINFail, 0, "")
		msg := "That PIN is not right. Please check the message from your photographer and try again."
		if wait > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfter(wait)))
			msg += " You can try again in " + humanWait(wait) + "."
		}
		h.pinForm(w, r, v, http.StatusForbidden, next, msg)
		return
	}
	if err := th.ok(ctx, key); err != nil {
		h.serverError(w, r, err)
		return
	}
	// A fresh session on every right PIN: the old token, if any, ends.
	if c, err := r.Cookie(galleryCookie(v.ag.ID)); err == nil {
		if err := h.store.DeleteSession(ctx, c.Value); err != nil {
			h.log.Warn("end old session", "err", err)
		}
	}
	now := h.now()
	token, sess, err := h.store.CreateSession(ctx, db.Session{GalleryID: v.g.ID, PINGalleryID: v.ag.ID,
		PINVersion: v.ag.PINVersion, ExpiresAt: now.Add(SessionTTL)})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	v.sess = &sess
	h.setCookie(w, r, galleryCookie(v.ag.ID), token, int(SessionTTL/time.Second))
	h.event(ctx, v, db.EventPINOK, 0, "")
	http.Redirect(w, r, landing(v.g.Slug, next), http.StatusSeeOther)
}

// landing is where a right PIN leads for next. A download leads back to
// the page it was asked from, which starts it (?dl=…): a browser sent on
// to an attachment would keep showing the PIN form it was typed into.
func landing(slug, next string) string {
	g := galleryPath(slug)
	switch {
	case next == g+"/zip":
		return g + "?dl=zip"
	case next == g+"/favourites.zip":
		return g + "?fav=1&dl=favourites.zip"
	case next == g+"/collection.zip":
		return g + "?dl=collection.zip"
	case strings.HasPrefix(next, g+"/d/"):
		return g + "/p/" + strings.TrimPrefix(next, g+"/d/") + "?dl=1"
	}
	return next
}

// startDownload is the download a gallery page starts on arrival: ?dl=…
// as landing sets it, if the visitor may download (the whole collection's
// is started by the gallery page once it knows the collection's offer).
func startDownload(r *http.Request, v *visit) string {
	if !v.canDownload() {
		return ""
	}
	switch r.URL.Query().Get("dl") {
	case "zip":
		return galleryPath(v.g.Slug) + "/zip"
	case "favourites.zip":
		return galleryPath(v.g.Slug) + "/favourites.zip"
	}
	return ""
}
