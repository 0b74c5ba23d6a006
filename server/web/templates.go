package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFS embed.FS

// staticFiles maps a checksummed URL name ("site.3f2a9c1b.css") to its
// content, and a plain name to its URL.
type staticFiles struct {
	byHashed map[string]staticFile
	urls     map[string]string
}

type staticFile struct {
	data  []byte
	gz    []byte // data gzipped once at start, for browsers that take it
	ctype string
	etag  string
}

func loadStatic() (staticFiles, error) {
	sf := staticFiles{byHashed: map[string]staticFile{}, urls: map[string]string{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		h := hex.EncodeToString(sum[:])[:12]
		name := path.Base(p)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + h + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		var gz bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
		zw.Write(b)
		if err := zw.Close(); err != nil {
			return err
		}
		sf.byHashed[hashed] = staticFile{data: b, gz: gz.Bytes(), ctype: ctype, etag: `"` + h + `"`}
		sf.urls[name] = "/static/" + hashed
		return nil
	})
	return sf, err
}

// serveStatic answers /static/NAME.HASH.EXT with an immutable asset.
func (h *Handler) serveStatic(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	f, ok := h.static.byHashed[ps.ByName("file")]
	if !ok {
		h.notFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	w.Header().Set("Vary", "Accept-Encoding")
	if acceptsGzip(r) && len(f.gz) < len(f.data) {
		w.Header().Set("ETag", strings.TrimSuffix(f.etag, `"`)+`-gz"`)
		w.Header().Set("Content-Encoding", "gzip")
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.gz))
		return
	}
	w.Header().Set("ETag", f.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.data))
}

// page names; each is templates/NAME.html executed inside layout.html.
var pageNames = []string{"gallery", "photo", "pin", "error", "home", "me", "name"}

func (h *Handler) parseTemplates() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"static": func(name string) (string, error) {
			u, ok := h.static.urls[name]
			if !ok {
				return "", fmt.Errorf("no static file %q", name)
			}
			return u, nil
		},
		"bytes":  studio.SizeText,
		"plural": plural,
		"add":    func(a, b int) int { return a + b },
	}
	out := map[string]*template.Template{}
	for _, name := range pageNames {
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFiles, "templates/layout.html", "templates/parts.html", "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 rather than half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	h.renderWith(w, r, status, name, "layout.html", data, nil)
}

// renderWith is render of one template of a page's set: the page itself
// (layout.html) or a part of it that a script asks for alone. With grid,
// the first gridMark in what the template wrote is replaced by grid: a
// large part written apart (a gallery's tiles) is sent from where it is
// kept, not copied through the template.
func (h *Handler) renderWith(w http.ResponseWriter, r *http.Request, status int, page, part string, data any, grid []byte) {
	t, ok := h.pages[page]
	if !ok {
		h.serverError(w, r, fmt.Errorf("no page %q", page))
		return
	}
	buf := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(buf)
	if err := t.ExecuteTemplate(buf, part, data); err != nil {
		if page == "error" {
			http.Error(w, "Something went wrong.", http.StatusInternalServerError)
			return
		}
		h.serverError(w, r, fmt.Errorf("render %s: %w", page, err))
		return
	}
	out := buf.Bytes()
	if grid != nil {
		if i := bytes.Index(out, []byte(gridMark)); i >= 0 {
			h.writeHTML(w, r, status, out[:i], grid, out[i+len(gridMark):])
			return
		}
	}
	h.writeHTML(w, r, status, out)
}

// gridMark stands for the gallery's tiles in its rendered page.
const gridMark template.HTML = "<!--pinhole:grid-->"

// writeHTML sends a page made of parts, gzipped when the browser takes it.
func (h *Handler) writeHTML(w http.ResponseWriter, r *http.Request, status int, parts ...[]byte) {
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Add("Vary", "Accept-Encoding")
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	if n >= gzipMin && acceptsGzip(r) {
		zb := pageBuffers.Get().(*bytes.Buffer)
		defer putPageBuffer(zb)
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(zb)
		for _, p := range parts {
			zw.Write(p)
		}
		zw.Close()
		gzipWriters.Put(zw)
		hd.Set("Content-Encoding", "gzip")
		parts, n = [][]byte{zb.Bytes()}, zb.Len()
	}
	hd.Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(status)
	for _, p := range parts {
		w.Write(p)
	}
}

// Pages go out gzipped when the browser takes it: a 1,000-photo gallery's
// ~700 kB of HTML becomes ~60 kB, which a phone on a slow network feels
// far more than the server feels the compression. Pages hold no secret
// that a reflected input could be compressed against (no CSRF token: the
// Origin check guards forms), so compression leaks nothing.
const gzipMin = 1400 // smaller pages fit one packet anyway

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// acceptsGzip reports whether Accept-Encoding lists gzip without q=0.
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
				continue
			}
			q := "1"
			if k, v, ok := strings.Cut(params, "="); ok && strings.TrimSpace(k) == "q" {
				q = strings.TrimSpace(v)
			}
			f, err := strconv.ParseFloat(q, 64)
			return err == nil && f > 0
		}
	}
	return false
}

// pageBuffers hold rendered pages: a 1,000-photo gallery is ~700 kB of
// HTML, which a fresh buffer would reach by doubling, page after page.
var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func putPageBuffer(b *bytes.Buffer) {
	if b.Cap() > 4<<20 { // a rare giant page does not stay
		return
	}
	b.Reset()
	pageBuffers.Put(b)
}

// base is what every page template gets.
type base struct {
	Studio      string
	Title       string
	Preview     bool
	Unpublished bool // a preview of a draft: clients cannot open it yet
	// StartDownload is a download the page starts on arrival, after the
	// PIN it needed (see landing).
	StartDownload string
	Logo          *logoView
	Theme         string       // the accent colour's style sheet, if one is set
	Contact       *contactView // nil: no contact details set
	Client        string       // the name of the client login the visitor holds
}

func (h *Handler) base(r *http.Request, title string) base {
	b := base{Title: title}
	h.look(r.Context(), r, &b)
	return b
}

type errorData struct {
	base
	Heading string
	Message string
}

func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, msg string) {
	h.render(w, r, status, "error", errorData{base: h.base(r, heading), Heading: heading, Message: msg})
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	h.errorPage(w, r, http.StatusNotFound, "Page not found", "There is nothing at this address. Please check the link you were sent.")
}

// serverError answers a request that failed. A write the full disk
// refused is no fault of the visitor's and passes once space is freed: a
// 503 that says so, while everything that only reads keeps working.
func (h *Handler) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, db.ErrFull) {
		h.log.Warn("request needs a write, but the disk is full", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(fullDiskRetry))
		h.errorPage(w, r, http.StatusServiceUnavailable, "This cannot be saved right now",
			"The server's disk is full, so nothing new can be saved. The photos can still be viewed. Please try again later, or let the photographer know.")
		return
	}
	if errors.Is(err, media.ErrUnavailable) {
		// The bucket the photos are in is out of reach or refusing: pages
		// (from the database) still work, and so do photos the local
		// cache holds; this one comes back with the bucket.
		h.log.Warn("photo storage unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", strconv.Itoa(storageRetry))
		h.errorPage(w, r, http.StatusServiceUnavailable, "Photos unavailable for a moment",
			"The photos cannot be fetched right now. Please try again in a minute; if it keeps happening, let the photographer know.")
		return
	}
	h.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	h.errorPage(w, r, http.StatusInternalServerError, "Something went wrong", "Please try again in a moment. If it keeps happening, let the photographer know.")
}

// storageRetry is the Retry-After, in seconds, of an answer that needed
// the photo storage while it was unavailable.
const storageRetry = 30

// fullDiskRetry is the Retry-After, in seconds, of an answer the full disk
// refused: long enough for someone to free space.
const fullDiskRetry = 600

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
