package web

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/media"
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

// sendZip checks download rights, then sends photos of v's gallery as
// one ZIP.
func (h *Handler) sendZip(w http.ResponseWriter, r *http.Request, v *visit, photos []db.Photo, title, what string) {
	if v.g.Downloads == db.DownloadsOff {
		h.errorPage(w, r, http.StatusForbidden, "Downloads are off", "The photographer has not made this gallery's photos available for download.")
		return
	}
	if !v.canDownload() {
		h.pinForm(w, r, v, http.StatusForbidden, r.URL.Path, "") // its lead asks for the PIN to download
		return
	}
	h.streamZip(w, r, v, []zipPart{{photos: photos, downloads: v.g.Downloads}}, title, what)
}

// zipPart is one folder of a ZIP: a gallery's photos, as its downloads
// setting gives them (originals, or web size).
type zipPart struct {
	folder    string // "" for the top of the archive
	photos    []db.Photo
	downloads db.Downloads
	pinFirst  bool // only after the download PIN
	unseen    bool // behind a PIN to look at it that the visitor does not hold
}

// streamZip lays the archive out (a stat per file for its size) and
// streams it. The caller has checked the visitor's rights to every part.
func (h *Handler) streamZip(w http.ResponseWriter, r *http.Request, v *visit, parts []zipPart, title, what string) {
	// Folder names made unique among themselves (two sets of one title).
	var named []string
	for _, pt := range parts {
		if pt.folder != "" {
			named = append(named, pt.folder)
		}
	}
	named = uniqueNames(named)
	folders := make([]string, len(parts))
	for i, k := 0, 0; i < len(parts); i++ {
		if parts[i].folder != "" {
			folders[i], k = named[k], k+1
		}
	}
	n := 0
	for _, pt := range parts {
		n += len(pt.photos)
	}
	entries := make([]zipEntry, 0, n)
	for i, pt := range parts {
		names := make([]string, len(pt.photos))
		for j, p := range pt.photos {
			names[j] = p.Filename
			if pt.downloads == db.DownloadsWeb {
				names[j] = webName(p.Filename)
			}
		}
		names = uniqueNames(names)
		prefix := ""
		if pt.folder != "" {
			prefix = folders[i] + "/"
		}
		for j, p := range pt.photos {
			key := media.OriginalKey(p.SHA256)
			if pt.downloads == db.DownloadsWeb {
				key = media.RenditionKey(renditionNamed(media.Preview), p.SHA256)
			}
			mod := p.TakenAt
			if mod.IsZero() {
				mod = p.CreatedAt
			}
			entries = append(entries, zipEntry{Name: prefix + names[j], Key: key, Modified: mod})
		}
	}
	// Every size before the first byte: from a bucket, several asked at once.
	keys := make([]string, len(entries))
	for i, e := range entries {
		keys[i] = e.Key
	}
	infos, err := media.StatAll(r.Context(), h.lib.Store(), keys)
	if errors.Is(err, fs.ErrNotExist) {
		h.log.Error("photo file missing: the ZIP cannot be made", "err", err)
		h.errorPage(w, r, http.StatusNotFound, "Photo missing",
			"A photo's file is missing, so this ZIP cannot be made. The other photos can still be downloaded one by one. Please let the photographer know.")
		return
	}
	if err != nil {
		h.serverError(w, r, fmt.Errorf("zip: %w", err))
		return
	}
	for i, fi := range infos {
		entries[i].Size, entries[i].FileTime = fi.Size, fi.ModTime
	}
	layout, err := layoutZip(r.Context(), h.lib.Store(), entries, max32)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	layout.crcs = &h.crcs
	hd := w.Header()
	etag := zipETag(entries)
	hd.Set("Content-Type", "application/zip")
	hd.Set("Accept-Ranges", "bytes")
	hd.Set("Etag", etag)
	hd.Set("Content-Disposition", attachment(cleanName(title)+".zip"))
	status := http.StatusOK
	if from, ok := resumeFrom(r, etag, layout.Size()); ok {
		layout.from, status = from, http.StatusPartialContent
		hd.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", from, layout.Size()-1, layout.Size()))
	}
	hd.Set("Content-Length", strconv.FormatInt(layout.Size()-layout.from, 10))
	if r.Method == http.MethodHead {
		w.WriteHeader(status)
		return
	}
	if layout.from == 0 {
		h.event(r.Context(), v, db.EventZIP, 0, fmt.Sprintf("%s, %s", what, plural(len(entries), "photo", "photos")))
	}
	w.WriteHeader(status)
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

// zipETag names an archive's content: its entries' names and files. Photo
// files are content-addressed and never rewritten in place, so the same
// list is the same bytes.
func zipETag(entries []zipEntry) string {
	h := sha256.New()
	var b [16]byte
	for _, e := range entries {
		io.WriteString(h, e.Name)
		io.WriteString(h, "\x00")
		io.WriteString(h, e.Key)
		binary.LittleEndian.PutUint64(b[:], uint64(e.Size))
		binary.LittleEndian.PutUint64(b[8:], uint64(e.Modified.Unix()))
		h.Write(b[:])
	}
	return `"z` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
}

// resumeFrom reads a Range asking for the rest of the archive from some
// byte on ("bytes=N-", or "bytes=N-END" with END the last byte), as a
// resumed download does; If-Range, when sent, must name this archive.
// Any other Range is answered with the whole archive, as HTTP allows.
func resumeFrom(r *http.Request, etag string, size int64) (int64, bool) {
	rg := r.Header.Get("Range")
	if rg == "" || (r.Header.Get("If-Range") != "" && r.Header.Get("If-Range") != etag) {
		return 0, false
	}
	spec, ok := strings.CutPrefix(rg, "bytes=")
	first, last, ok2 := strings.Cut(spec, "-")
	if !ok || !ok2 || strings.Contains(spec, ",") {
		return 0, false
	}
	from, err := strconv.ParseInt(first, 10, 64)
	if err != nil || from <= 0 || from >= size {
		return 0, false
	}
	if last != "" {
		if end, err := strconv.ParseInt(last, 10, 64); err != nil || end != size-1 {
			return 0, false
		}
	}
	return from, true
}
