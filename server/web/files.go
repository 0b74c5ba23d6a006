package web

import (
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/media"
)

// immutable: a photo id never changes content, so its URLs are cached for good.
const immutable = "private, max-age=31536000, immutable"

// Shared header values (len == cap, see securityHeaders).
var (
	immutableValue = []string{immutable}
	acceptBytes    = []string{"bytes"}
	jpegValue      = []string{"image/jpeg"}
)

// rendition serves one size of a photo, from media's table. A rendition
// not made yet (a size added to the table, before doctor --repair made it
// for older photos) is answered with the larger one it is made from.
func (h *Handler) rendition(r media.Rendition) httprouter.Handle {
	return func(w http.ResponseWriter, req *http.Request, ps httprouter.Params) {
		v := h.open(w, req, ps.ByName("slug"))
		if v == nil {
			return
		}
		if !v.canView() {
			h.errorPage(w, req, http.StatusForbidden, "PIN needed", "This photo needs the gallery's PIN.")
			return
		}
		p, ok := h.photoOf(w, req, v, ps.ByName("id"))
		if !ok {
			return
		}
		if r.Name == media.Thumbnail {
			if f, ok := h.hot.get(req.Context(), h.lib.Store(), p.SHA256); ok {
				defer f.done()
				f.serve(w, req)
				return
			}
		}
		// A file that is there but cannot be read is answered as an
		// error, not replaced.
		have := r
		f, err := h.lib.Store().Open(req.Context(), media.RenditionKey(have, p.SHA256))
		for have.From != "" && errors.Is(err, fs.ErrNotExist) {
			have, _ = media.RenditionNamed(have.From)
			f, err = h.lib.Store().Open(req.Context(), media.RenditionKey(have, p.SHA256))
		}
		h.serveObject(w, req, media.RenditionKey(have, p.SHA256), f, err, renditionETag(p.SHA256, have.Code), "image/jpeg")
	}
}

// renditionETag is the ETag of a photo's rendition, by the table's code
// for it (media.Rendition.Code): strong, since the content hash names the
// bytes.
func renditionETag(sha, code string) string { return `"` + sha + "-" + code + `"` }

// plainGet reports whether a GET or HEAD carries none of the headers that
// make ServeContent answer anything but the whole file: no Range and no
// conditions (If-None-Match, If-Range, …).
func plainGet(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, k := range [...]string{"Range", "If-None-Match", "If-Match", "If-Range", "If-Modified-Since", "If-Unmodified-Since"} {
		if _, ok := r.Header[k]; ok {
			return false
		}
	}
	return true
}

// download serves one photo as an attachment: the original, or the
// preview when the gallery allows web size only.
func (h *Handler) download(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	if v.g.Downloads == db.DownloadsOff {
		h.errorPage(w, r, http.StatusForbidden, "Downloads are off", "The photographer has not made this gallery's photos available for download.")
		return
	}
	if !v.canDownload() {
		h.pinForm(w, r, v, http.StatusForbidden, r.URL.Path, "") // its lead asks for the PIN to download
		return
	}
	p, ok := h.photoOf(w, r, v, ps.ByName("id"))
	if !ok {
		return
	}
	key, name, etag, ctype := media.OriginalKey(p.SHA256), p.Filename, `"`+p.SHA256+`"`, contentType(p.Filename)
	if v.g.Downloads == db.DownloadsWeb {
		key, name, etag, ctype = media.RenditionKey(renditionNamed(media.Preview), p.SHA256), webName(p.Filename), renditionETag(p.SHA256, renditionNamed(media.Preview).Code), "image/jpeg"
	}
	w.Header().Set("Content-Disposition", attachment(name))
	rg := r.Header.Get("Range")
	if r.Method == http.MethodGet && (rg == "" || strings.HasPrefix(rg, "bytes=0-")) && r.Header.Get("If-None-Match") != etag {
		h.event(r.Context(), v, db.EventDownload, p.ID, "")
	}
	if h.presigned(w, r, key, attachment(name), ctype) {
		return
	}
	h.serveFile(w, r, key, etag, ctype)
}

// serveFile sends the immutable photo file at key with a strong ETag.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, key, etag, ctype string) {
	f, err := h.lib.Store().Open(r.Context(), key)
	h.serveObject(w, r, key, f, err, etag, ctype)
}

// serveObject sends f, the file at key opened with err;
// http.ServeContent answers If-None-Match with 304 and Range with 206.
func (h *Handler) serveObject(w http.ResponseWriter, r *http.Request, key string, f media.Object, err error, etag, ctype string) {
	if errors.Is(err, fs.ErrNotExist) {
		h.log.Error("photo file missing", "file", h.lib.Store().Location(key))
		w.Header().Del("Content-Disposition")
		h.errorPage(w, r, http.StatusNotFound, "Photo missing", "This photo's file is missing. Please let the photographer know.")
		return
	}
	if err != nil {
		w.Header().Del("Content-Disposition")
		h.serverError(w, r, err)
		return
	}
	defer f.Close()
	fileHeaders(w, []string{etag}, []string{ctype})
	if plainGet(r) {
		// What ServeContent would answer, without its seeks and its
		// first read: a thumbnail page asks for hundreds of these.
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			send, uncork := sendWhole(w, r, []string{strconv.FormatInt(fi.Size(), 10)})
			defer uncork()
			if !send {
				return
			}
			// Headers out first: otherwise ReadFrom copies the file's
			// first 512 bytes through a buffer (one read more) before
			// the sendfile.
			if fl, ok := w.(http.Flusher); ok {
				fl.Flush()
			}
			io.CopyN(w, f, fi.Size()) // sendfile, when f is a file
			return
		}
	}
	http.ServeContent(w, r, "", time.Time{}, f)
}

func fileHeaders(w http.ResponseWriter, etag, ctype []string) {
	hd := w.Header()
	hd["Etag"] = etag
	hd["Cache-Control"] = immutableValue
	hd["Content-Type"] = ctype
}

// sendWhole writes the headers of a 200 answer carrying a whole file of
// the given Content-Length, and reports whether the body is to follow
// (not for HEAD). The connection stays corked until uncork, so that
// headers and body leave together.
func sendWhole(w http.ResponseWriter, r *http.Request, length []string) (send bool, uncork func()) {
	hd := w.Header()
	hd["Accept-Ranges"] = acceptBytes
	hd["Content-Length"] = length
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return false, func() {}
	}
	uncork = corkFor(w, r)
	w.WriteHeader(http.StatusOK)
	return true, uncork
}

// corkFor corks the request's connection until uncork, which first
// flushes what the response still buffers: else that tail would leave
// after the handler, in a small segment of its own.
func corkFor(w http.ResponseWriter, r *http.Request) (uncork func()) {
	rc := rawConn(r)
	if rc == nil {
		return func() {}
	}
	cork(rc, true)
	return func() {
		http.NewResponseController(w).Flush()
		cork(rc, false)
	}
}

// contentType is an original's type from its name, but only ever an image
// type: the name is whatever the file was called, and a JPEG imported as
// "x.html", "x.js" or "x.svg" must not be served from our origin as a
// page, a script or an SVG.
func contentType(name string) string {
	t := mime.TypeByExtension(strings.ToLower(filepath.Ext(name)))
	if strings.HasPrefix(t, "image/") && !strings.Contains(t, "svg") {
		return t
	}
	return "application/octet-stream"
}

// webName is the download name of a web-size copy: the original's name
// with a .jpg extension.
func webName(name string) string {
	ext := filepath.Ext(name)
	if strings.EqualFold(ext, ".jpg") || strings.EqualFold(ext, ".jpeg") {
		return name
	}
	return strings.TrimSuffix(name, ext) + ".jpg"
}

// attachment builds Content-Disposition per RFC 6266: an ASCII fallback in
// filename, and the exact name (made valid UTF-8) in filename*.
func attachment(name string) string {
	name = cleanName(name)
	var ascii strings.Builder
	for _, r := range name {
		switch {
		case r == '"' || r == '\\':
			ascii.WriteByte('_')
		case r < 0x20 || r > 0x7e:
			ascii.WriteByte('_')
		default:
			ascii.WriteRune(r)
		}
	}
	v := `attachment; filename="` + ascii.String() + `"`
	if ascii.String() != name {
		v += "; filename*=UTF-8''" + rfc5987(name)
	}
	return v
}

// cleanName makes a stored file name safe to hand out: valid UTF-8, no
// path separators, no control characters, no "..", never empty.
func cleanName(name string) string {
	if !utf8.ValidString(name) {
		name = strings.ToValidUTF8(name, "_")
	}
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\' || r == ':' || r < 0x20 || r == 0x7f:
			return '_'
		}
		return r
	}, name)
	for strings.Contains(name, "..") {
		name = strings.ReplaceAll(name, "..", ".")
	}
	name = strings.TrimSpace(name)
	if name == "" || name == "." {
		name = "photo"
	}
	return name
}

// rfc5987 percent-encodes every byte that is not an attr-char.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
