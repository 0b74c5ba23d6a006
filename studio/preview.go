package studio

import (
	"context"
	"time"

	"pinhole/db"
)

// PreviewTTL is how long a photographer's preview link works.
const PreviewTTL = 15 * time.Minute

// PreviewURL makes a preview session — of a gallery (sess.GalleryID) or of
// a client login's dashboard (sess.ClientID) — and returns its link, which
// shows it exactly as the client sees it until it expires; it starts with
// the base URL (given: see [BaseURL]).
func PreviewURL(ctx context.Context, store *db.Store, given Given, sess db.Session) (string, time.Time, error) {
	sess.Preview = true
	sess.ExpiresAt = store.Now().Add(PreviewTTL)
	token, _, err := store.CreateSession(ctx, sess)
	if err != nil {
		return "", time.Time{}, err
	}
	base, err := BaseURL(ctx, store, given)
	if err != nil {
		return "", time.Time{}, err
	}
	return siteURL(base, "/preview/"+token), sess.ExpiresAt, nil
}
