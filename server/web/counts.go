package web

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"pinhole/db"
)

// tally counts, in memory, what visitors without a session do (views,
// downloads, ZIPs): such a visitor costs no row and no write per request,
// only a few hourly counts written now and then (issue 16).
type tally struct {
	mu sync.Mutex
	m  map[tallyKey]*db.Count
}

type tallyKey struct {
	gallery int64
	kind    string
	start   int64
}

func (t *tally) add(gallery int64, kind string, at time.Time) {
	start := at.Truncate(time.Hour)
	k := tallyKey{gallery, kind, start.Unix()}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.m == nil {
		t.m = map[tallyKey]*db.Count{}
	}
	c := t.m[k]
	if c == nil {
		c = &db.Count{GalleryID: gallery, Kind: kind, Start: start}
		t.m[k] = c
	}
	c.N++
	if at.After(c.Last) {
		c.Last = at
	}
}

// take empties the tally and returns what it held.
func (t *tally) take() []db.Count {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]db.Count, 0, len(t.m))
	for _, c := range t.m {
		out = append(out, *c)
	}
	clear(t.m)
	return out
}

// FlushCounts writes the counts kept in memory to the database. What cannot
// be written is kept for the next time.
func (h *Handler) FlushCounts(ctx context.Context) error {
	counts := h.tally.take()
	if err := h.store.AddCounts(ctx, counts); err != nil {
		for _, c := range counts {
			for range c.N {
				h.tally.add(c.GalleryID, c.Kind, c.Last)
			}
		}
		return err
	}
	return nil
}

// KeepCounts writes the counts kept in memory every interval, and once
// more when ctx ends.
func (h *Handler) KeepCounts(ctx context.Context, every time.Duration) error {
	repeat(ctx, every, func() {
		if err := h.FlushCounts(ctx); err != nil && ctx.Err() == nil {
			h.log.Warn("write visit counts", "err", err)
		}
	})
	final, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := h.FlushCounts(final); err != nil {
		h.log.Warn("write visit counts", "err", err)
	}
	return nil
}

// FoldOldEvents folds the events older than the event-retention setting
// into daily counts, at once and then every interval.
func FoldOldEvents(ctx context.Context, store *db.Store, every time.Duration, logger *slog.Logger) error {
	repeat(ctx, every, func() {
		keep, err := store.EventRetention(ctx)
		if err != nil {
			if ctx.Err() == nil {
				logger.Warn("fold old events", "err", err)
			}
			return
		}
		if n, err := store.FoldEvents(ctx, store.Now().Add(-keep)); err != nil && ctx.Err() == nil {
			logger.Warn("fold old events", "err", err)
		} else if n > 0 {
			logger.Info("folded old events into daily counts", "count", n)
		}
	})
	return nil
}

// countedKinds are what a visitor without a session does that is counted
// rather than recorded one by one.
var countedKinds = map[string]bool{db.EventView: true, db.EventDownload: true, db.EventZIP: true}

// viewedCookie holds the day a visitor without a session was last counted
// as opening a gallery. It names no one and opens nothing; forging it only
// leaves one's own view uncounted.
func viewedCookie(galleryID int64) string { return "pinhole_v" + strconv.FormatInt(galleryID, 10) }

// countView counts a visitor without a session as opening the gallery,
// once a day per browser.
func (h *Handler) countView(w http.ResponseWriter, r *http.Request, v *visit) {
	now := h.now()
	day := now.Format("20060102")
	name := viewedCookie(v.g.ID)
	if c, err := r.Cookie(name); err == nil && c.Value == day {
		return
	}
	h.setCookie(w, r, name, day, int((24 * time.Hour).Seconds()))
	h.tally.add(v.g.ID, db.EventView, now)
}
