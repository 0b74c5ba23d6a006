package db

import (
	"context"
	"database/sql"
	"time"
)

// Overview is what a list of galleries shows beside each one, read for
// every gallery at once.
type Overview struct {
	LastVisit  time.Time // last "view" event; zero: never opened
	Favourites int       // hearts on its photos
}

// GalleryOverviews returns the overview of every gallery that has one, by id.
func (s *Store) GalleryOverviews(ctx context.Context) (map[int64]Overview, error) {
	out := map[int64]Overview{}
	// Per gallery, the latest view is one lookup in events_gallery_kind
	// (and in event_counts' key): the cost grows with the galleries, not
	// with the history.
	rows, err := s.r.QueryContext(ctx, `SELECT id, MAX(COALESCE(e, c), COALESCE(c, e)) FROM (SELECT g.id,
		(SELECT MAX(at) FROM events WHERE gallery_id = g.id AND kind = 'view') AS e,
		(SELECT MAX(last) FROM event_counts WHERE gallery_id = g.id AND kind = 'view') AS c
		FROM galleries g) WHERE e IS NOT NULL OR c IS NOT NULL`)
	if err != nil {
		return nil, wrap("gallery overviews", err)
	}
	for rows.Next() {
		var id int64
		var at sql.NullInt64
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return nil, wrap("gallery overviews", err)
		}
		o := out[id]
		o.LastVisit = fromUnix(at)
		out[id] = o
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, wrap("gallery overviews", err)
	}
	rows, err = s.r.QueryContext(ctx, `SELECT p.gallery_id, COUNT(*) FROM favourites f
		JOIN photos p ON p.id = f.photo_id GROUP BY p.gallery_id`)
	if err != nil {
		return nil, wrap("gallery overviews", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap("gallery overviews", err)
		}
		o := out[id]
		o.Favourites = n
		out[id] = o
	}
	return out, wrap("gallery overviews", rows.Err())
}
