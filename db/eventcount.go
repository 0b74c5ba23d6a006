package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Count is a number of events of one kind in one gallery within a bucket
// of time (an hour for live counts, a day for old events folded up).
type Count struct {
	GalleryID int64
	Kind      string
	Start     time.Time // the bucket's first second
	N         int
	Last      time.Time // the latest event counted
}

// AddCounts adds counts to the stored ones, in one transaction.
func (s *Store) AddCounts(ctx context.Context, counts []Count) error {
	if len(counts) == 0 {
		return nil
	}
	return wrap("add counts", s.tx(ctx, func(tx *sql.Tx) error {
		for _, c := range counts {
			// A gallery deleted meanwhile takes its counts with it.
			if _, err := tx.ExecContext(ctx, `INSERT INTO event_counts (gallery_id, kind, start, n, last)
				SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM galleries WHERE id = ?1)
				ON CONFLICT (gallery_id, kind, start) DO UPDATE SET n = n + excluded.n, last = max(last, excluded.last)`,
				c.GalleryID, c.Kind, c.Start.Unix(), c.N, c.Last.Unix()); err != nil {
				return err
			}
		}
		return nil
	}))
}

// FoldEvents turns the events before a moment into daily counts (UTC days)
// and deletes them, so that the events table stays as long as the
// retention period while the totals stay right. Events of no gallery (client
// logins) only go. It returns how many events went.
func (s *Store) FoldEvents(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO event_counts (gallery_id, kind, start, n, last)
			SELECT gallery_id, kind, at - at % 86400, COUNT(*), MAX(at) FROM events
			WHERE at < ?1 AND gallery_id IS NOT NULL GROUP BY gallery_id, kind, at - at % 86400
			ON CONFLICT (gallery_id, kind, start) DO UPDATE SET n = n + excluded.n, last = max(last, excluded.last)`,
			before.Unix()); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM events WHERE at < ?", before.Unix())
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		return nil
	})
	return n, wrap("fold old events", err)
}

// ParseDuration reads a span as people write it: a Go duration (90m, 36h)
// or whole days (7d, 400d).
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if d, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 100*366 {
			return 0, invalidf("%q: use a duration such as 90m, 24h or 7d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, invalidf("%q: use a duration such as 90m, 24h or 7d", s)
	}
	return d, nil
}

// EventRetention is how long single events are kept before they are folded
// into daily counts: the event-retention setting.
func (s *Store) EventRetention(ctx context.Context) (time.Duration, error) {
	v, err := s.Setting(ctx, SettingEventRetention)
	if err != nil {
		return 0, err
	}
	d, err := ParseDuration(v)
	if err != nil {
		return 0, fmt.Errorf("setting %s: %w", SettingEventRetention, err)
	}
	return d, nil
}
