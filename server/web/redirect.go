package web

import (
	"context"
	"net/http"
	"time"
)

// Presigner makes short-lived URLs that fetch a photo file straight from
// where it is stored, with no credentials: a bucket's presigned GETs
// (media/bucket's Store is one).
type Presigner interface {
	Presign(ctx context.Context, key, disposition, ctype string, ttl time.Duration) (string, error)
}

// presignTTL is how long a presigned URL works: long enough to follow the
// redirect and start the download (a download under way goes on), short
// enough that a URL copied out of the browser soon opens nothing.
const presignTTL = 5 * time.Minute

// presigned answers a single download, after the access check, with a
// redirect to a presigned URL of its file, when the website was given a
// Presigner (serve --storage-redirect): the bytes then leave from the
// bucket, or a CDN in front of it, instead of through Pinhole. It reports
// whether it answered; when it did not (no Presigner, or no URL could be
// made), the caller streams the file.
func (h *Handler) presigned(w http.ResponseWriter, r *http.Request, key, disposition, ctype string) bool {
	if h.presign == nil {
		return false
	}
	u, err := h.presign.Presign(r.Context(), key, disposition, ctype, presignTTL)
	if err != nil {
		h.log.Warn("presign failed; streaming instead", "key", key, "err", err)
		return false
	}
	w.Header().Del("Content-Disposition")
	w.Header().Set("Cache-Control", "private, no-store") // the URL expires
	http.Redirect(w, r, u, http.StatusFound)
	return true
}
