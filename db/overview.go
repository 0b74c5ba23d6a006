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
	rows, err := s.r.QueryContext(ctx, `SELECT gallery_id, MAX(at) FROM (
		SELECT gallery_id, MAX(at) AS at FROM events WHERE kind = 'view' AND gallery_id IS NOT NULL GROUP BY gallery_id
		UNION ALL SELECT gallery_id, MAX(last) FROM event_counts WHERE kind = 'view' GROUP BY gallery_id)
		GROUP BY gallery_id`)
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
