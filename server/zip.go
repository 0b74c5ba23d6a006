package server

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"sync"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
)

// zipAll streams every photo of the gallery as one ZIP.
func (h *Handler) zipAll(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.open(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	photos, err := h.photos(r.Context(), v.gen, v.g.ID)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	h.sendZip(w, r, v, photos, v.g.Title, "all")
}

var zipBuffers = sync.Pool{New: func() any { b := make([]byte, 256<<10); return &b }}

// sendZip checks download rights, lays the archive out (a stat per file for
// its size) and streams it.
func (h *Handler) sendZip(w http.ResponseWriter, r *http.Request, v *visit, photos []db.Photo, title, what string) {
	if v.g.Downloads == db.DownloadsOff {
		h.errorPage(w, r, http.StatusForbidden, "Downloads are off", "The photographer has not made this gallery's photos available for download.")
		return
	}
	if !v.canDownload() {
		h.pinForm(w, r, v, http.StatusForbidden, r.URL.Path, "") // its lead asks for the PIN to download
		return
	}
	names := make([]string, len(photos))
	for i, p := range photos {
		names[i] = p.Filename
		if v.g.Downloads == db.DownloadsWeb {
			names[i] = webName(p.Filename)
		}
	}
	names = uniqueNames(names)
	entries := make([]zipEntry, len(photos))
	for i, p := range photos {
		path := h.lib.OriginalPath(p.SHA256)
		if v.g.Downloads == db.DownloadsWeb {
			path = h.lib.PreviewPath(p.SHA256)
		}
		fi, err := os.Stat(path)
		if err != nil {
			h.serverError(w, r, fmt.Errorf("zip: %w", err))
			return
		}
		mod := p.TakenAt
		if mod.IsZero() {
			mod = p.CreatedAt
		}
		entries[i] = zipEntry{Name: names[i], Path: path, Size: fi.Size(), Modified: mod, FileTime: fi.ModTime()}
	}
	layout, err := layoutZip(entries)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	layout.crcs = &h.crcs
	hd := w.Header()
	hd.Set("Content-Type", "application/zip")
	hd.Set("Content-Length", strconv.FormatInt(layout.Size(), 10))
	hd.Set("Content-Disposition", attachment(cleanName(title)+".zip"))
	if r.Method == http.MethodHead {
		return
	}
	h.event(r.Context(), v, db.EventZIP, 0, fmt.Sprintf("%s, %s", what, plural(len(photos), "photo", "photos")))
	// Each entry's few header bytes then leave in full segments with the
	// file's first bytes, not as a small packet of their own.
	defer corkFor(w, r)()
	bp := zipBuffers.Get().(*[]byte)
	defer zipBuffers.Put(bp)
	if _, err := layout.WriteTo(w, *bp); err != nil {
		// Headers are gone: cut the connection so the client sees a
		// short download rather than a corrupt archive.
		h.log.Warn("zip cut short", "gallery", v.g.Slug, "err", err)
		panic(http.ErrAbortHandler)
	}
}
