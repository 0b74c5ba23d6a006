package web

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// logoView is the studio's logo in the header: its 400 px rendition.
type logoView struct {
	URL  string
	W, H int
}

// contactView is how clients reach the photographer, from the settings.
type contactView struct {
	Email        string
	Phone        string
	PhoneURL     template.URL // tel:+4420…, digits only
	Website      string
	WebsiteLabel string // the address without its scheme
}

// look fills in what every page shows of the studio: its name, logo,
// colour and contact details, and the client login the visitor holds.
func (h *Handler) look(ctx context.Context, r *http.Request, b *base) {
	gen := h.reads.sync(ctx, h.store)
	get := func(key string) string {
		v, err := h.settingAt(ctx, gen, key)
		if err != nil {
			return ""
		}
		return v
	}
	if b.Studio = get(db.SettingStudioName); b.Studio == "" {
		b.Studio = studio.DefaultSetting(db.SettingStudioName)
	}
	if l, ok := db.ParseLogo(get(db.SettingLogo)); ok {
		w, hh := fit(l.Width, l.Height, renditionNamed(media.Thumbnail))
		b.Logo = &logoView{URL: "/logo/" + l.SHA256 + ".jpg", W: w, H: hh}
	}
	if a := get(db.SettingAccent); len(a) == 7 {
		b.Theme = "/theme/accent-" + a[1:] + ".css"
	}
	c := contactView{Email: get(db.SettingContactEmail), Phone: get(db.SettingContactPhone), Website: get(db.SettingContactWeb)}
	if c.Phone != "" {
		c.PhoneURL = template.URL("tel:" + strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' || r == '+' {
				return r
			}
			return -1
		}, c.Phone))
	}
	if u, err := url.Parse(c.Website); err == nil && c.Website != "" {
		c.WebsiteLabel = strings.TrimSuffix(u.Host+u.EscapedPath(), "/")
	}
	if c != (contactView{}) {
		b.Contact = &c
	}
	if ck, err := r.Cookie(clientCookie); err == nil {
		sess, err := h.sessionByToken(ctx, gen, ck.Value)
		if err == nil && sess.ClientID != 0 {
			if cl, err := h.clientByID(ctx, gen, sess.ClientID); err == nil {
				b.Client = cl.Name
			}
		}
	}
}

// logo serves the studio's logo; only the picture the logo setting names,
// so that no other content in the library can be reached by its hash.
func (h *Handler) logo(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	sha, ok := strings.CutSuffix(ps.ByName("file"), ".jpg")
	v, err := h.setting(r.Context(), db.SettingLogo)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	l, set := db.ParseLogo(v)
	if !ok || !set || l.SHA256 != sha {
		h.notFound(w, r)
		return
	}
	h.serveFile(w, r, media.RenditionKey(renditionNamed(media.Thumbnail), sha), renditionETag(sha, renditionNamed(media.Thumbnail).Code), "image/jpeg")
}

var themePattern = regexp.MustCompile(`^accent-([0-9a-f]{6})\.css$`)

// theme is the style sheet of the accent colour, named after the colour
// itself, so it is cached for good and the CSP's style-src 'self' holds
// (no inline style).
func (h *Handler) theme(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	m := themePattern.FindStringSubmatch(ps.ByName("file"))
	if m == nil {
		h.notFound(w, r)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/css; charset=utf-8")
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Write([]byte(":root { --accent: #" + m[1] + "; }\n"))
}

// heroView is a gallery's cover, full width above the page.
type heroView struct {
	Src     string
	Sources []source // none for a cover made for the PIN page
	W, H    int
}

// hero is the gallery's chosen cover for visitors who may see the photos;
// nil when none is chosen (or it is gone).
func (h *Handler) hero(ctx context.Context, v *visit) (*heroView, error) {
	p, ok, err := h.chosenCover(ctx, v)
	if !ok {
		return nil, err
	}
	pv := photoViewOf(v.g.Slug, 0, p)
	return &heroView{Src: pv.Large, Sources: pv.Sources(), W: pv.LW, H: pv.LH}, nil
}

// pinHero is the cover on the PIN page, only when the photographer chose
// to show it there; it comes from the cover route, the one photo a visitor
// without the PIN may load.
func (h *Handler) pinHero(ctx context.Context, v *visit) (*heroView, error) {
	if !v.g.CoverOnPIN || !v.d.Cover { // shown there only when chosen, as Decide allows
		return nil, nil
	}
	p, ok, err := h.chosenCover(ctx, v)
	if !ok {
		return nil, err
	}
	w, hh := fit(p.Width, p.Height, renditionNamed(media.Preview))
	return &heroView{Src: galleryPath(v.g.Slug) + "/cover?v=" + p.SHA256[:min(12, len(p.SHA256))], W: w, H: hh}, nil
}

// chosenCover is the photo the photographer chose as the gallery's cover.
func (h *Handler) chosenCover(ctx context.Context, v *visit) (db.Photo, bool, error) {
	if v.g.CoverID == 0 {
		return db.Photo{}, false, nil
	}
	p, err := h.photo(ctx, v.gen, v.g.ID, v.g.CoverID)
	if errors.Is(err, db.ErrNotFound) {
		return db.Photo{}, false, nil
	}
	return p, err == nil, err
}

// cover serves a gallery's chosen cover (2048 px) to whoever may see the
// gallery's photos, and to anyone with the link when the photographer
// chose to show it on the PIN page.
func (h *Handler) cover(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	if !v.d.Cover && !v.canView() {
		h.errorPage(w, r, http.StatusForbidden, "PIN needed", "This photo needs the gallery's PIN.")
		return
	}
	p, ok, err := h.chosenCover(r.Context(), v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	if !ok {
		h.notFound(w, r)
		return
	}
	h.serveFile(w, r, media.RenditionKey(renditionNamed(media.Preview), p.SHA256), renditionETag(p.SHA256, renditionNamed(media.Preview).Code), "image/jpeg")
}
