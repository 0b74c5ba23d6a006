package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Photo is one picture in one gallery. The same file (same SHA256) may be
// in several galleries; it is stored once on disk.
type Photo struct {
	ID        int64
	GalleryID int64
	Filename  string // the original name, byte for byte
	SHA256    string
	Bytes     int64
	Width     int // after EXIF orientation
	Height    int
	TakenAt   time.Time // zero: unknown
	Camera    string
	Caption   string
	CreatedAt time.Time
}

const photoCols = `id, gallery_id, filename, sha256, bytes, width, height, taken_at, taken_tz, camera, caption, created_at`

// photoOrder: capture time (unknown last), then file name.
const photoOrder = ` ORDER BY position, taken_at IS NULL, taken_at, filename, id`

func scanPhoto(row scanner) (Photo, error) {
	var p Photo
	var taken sql.NullInt64
	var tz string
	var created int64
	err := row.Scan(&p.ID, &p.GalleryID, &p.Filename, &p.SHA256, &p.Bytes, &p.Width, &p.Height,
		&taken, &tz, &p.Camera, &p.Caption, &created)
	if taken.Valid {
		p.TakenAt = time.Unix(taken.Int64, 0).UTC()
		if tz != "" {
			if t, err := time.Parse("-07:00", tz); err == nil {
				_, off := t.Zone()
				p.TakenAt = p.TakenAt.In(time.FixedZone(tz, off))
			}
		}
	}
	p.CreatedAt = time.Unix(created, 0)
	return p, err
}

const insertPhoto = `INSERT INTO photos (gallery_id, filename, sha256, bytes, width, height,
	taken_at, taken_tz, camera, caption, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// takenCols is a capture time as stored: Unix seconds (NULL when unknown)
// and the offset it was taken at ("" for UTC or local time).
func takenCols(t time.Time) (taken any, tz string) {
	if t.IsZero() {
		return nil, ""
	}
	if t.Location() != time.UTC && t.Location() != time.Local {
		tz = t.Format("-07:00")
	}
	return t.Unix(), tz
}

// AddPhoto records a photo whose files are already in place.
// The same content twice in one gallery is ErrConflict.
func (s *Store) AddPhoto(ctx context.Context, p Photo) (Photo, error) {
	taken, tz := takenCols(p.TakenAt)
	now := s.Now()
	res, err := s.w.ExecContext(ctx, insertPhoto,
		p.GalleryID, p.Filename, p.SHA256, p.Bytes, p.Width, p.Height, taken, tz, p.Camera, p.Caption, now.Unix())
	if err != nil {
		return Photo{}, wrap(fmt.Sprintf("add photo %q", p.Filename), err)
	}
	p.ID, _ = res.LastInsertId()
	p.CreatedAt = time.Unix(now.Unix(), 0)
	return p, nil
}

// Photos lists a gallery's photos in display order.
func (s *Store) Photos(ctx context.Context, galleryID int64) ([]Photo, error) {
	return s.photos(ctx, "WHERE gallery_id = ?"+photoOrder, galleryID)
}

// Photo finds a photo by id, only within the given gallery: a photo is
// only ever reached through its gallery.
func (s *Store) Photo(ctx context.Context, galleryID, photoID int64) (Photo, error) {
	p, err := scanPhoto(s.readRow(ctx, "SELECT "+photoCols+" FROM photos WHERE id = ? AND gallery_id = ?", photoID, galleryID))
	return p, wrap(fmt.Sprintf("photo %d", photoID), err)
}

func (s *Store) photos(ctx context.Context, where string, args ...any) ([]Photo, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+photoCols+" FROM photos "+where, args...)
	if err != nil {
		return nil, wrap("list photos", err)
	}
	defer rows.Close()
	var out []Photo
	for rows.Next() {
		p, err := scanPhoto(rows)
		if err != nil {
			return nil, wrap("list photos", err)
		}
		out = append(out, p)
	}
	return out, wrap("list photos", rows.Err())
}

// DeletePhoto removes a photo from its gallery and reports whether its
// content is now used by no gallery (so its files may go).
func (s *Store) DeletePhoto(ctx context.Context, galleryID, photoID int64) (orphan bool, err error) {
	err = s.tx(ctx, func(tx *sql.Tx) error {
		var sha string
		if err := tx.QueryRowContext(ctx, "SELECT sha256 FROM photos WHERE id = ? AND gallery_id = ?", photoID, galleryID).Scan(&sha); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM photos WHERE id = ?", photoID); err != nil {
			return err
		}
		var n int
		err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM photos WHERE sha256 = ?", sha).Scan(&n)
		orphan = n == 0
		return err
	})
	return orphan, wrap(fmt.Sprintf("delete photo %d", photoID), err)
}

// ContentHashes lists every distinct photo content in use, the studio's
// logo included.
func (s *Store) ContentHashes(ctx context.Context) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT sha256 FROM photos
		UNION SELECT substr(value, 1, 64) FROM settings WHERE key = 'logo' ORDER BY 1`)
	if err != nil {
		return nil, wrap("list photo contents", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var sha string
		if err := rows.Scan(&sha); err != nil {
			return nil, wrap("list photo contents", err)
		}
		out = append(out, sha)
	}
	return out, wrap("list photo contents", rows.Err())
}

// ContentSizes returns the size in bytes of every photo content (by
// SHA-256) that a photo row records.
func (s *Store) ContentSizes(ctx context.Context) (map[string]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT sha256, max(bytes) FROM photos GROUP BY sha256`)
	if err != nil {
		return nil, wrap("list photo sizes", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var sha string
		var n int64
		if err := rows.Scan(&sha, &n); err != nil {
			return nil, wrap("list photo sizes", err)
		}
		out[sha] = n
	}
	return out, wrap("list photo sizes", rows.Err())
}

// ContentUse names one photo row that holds a content: the file name it
// was imported under and the gallery's slug.
type ContentUse struct {
	Filename, Gallery string
}

// ContentUses lists the photos that hold the content sha, by gallery and
// file name: what a damaged or missing file means to the photographer.
func (s *Store) ContentUses(ctx context.Context, sha string) ([]ContentUse, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT p.filename, g.slug FROM photos p JOIN galleries g ON g.id = p.gallery_id
		WHERE p.sha256 = ? ORDER BY g.slug, p.filename`, sha)
	if err != nil {
		return nil, wrap("list a content's photos", err)
	}
	defer rows.Close()
	var out []ContentUse
	for rows.Next() {
		var u ContentUse
		if err := rows.Scan(&u.Filename, &u.Gallery); err != nil {
			return nil, wrap("list a content's photos", err)
		}
		out = append(out, u)
	}
	return out, wrap("list a content's photos", rows.Err())
}

// AddPhotos records many photos in one transaction: all or none.
func (s *Store) AddPhotos(ctx context.Context, ps []Photo) ([]Photo, error) {
	now := s.Now()
	out := make([]Photo, 0, len(ps))
	err := s.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, insertPhoto)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, p := range ps {
			taken, tz := takenCols(p.TakenAt)
			res, err := stmt.ExecContext(ctx, p.GalleryID, p.Filename, p.SHA256, p.Bytes, p.Width, p.Height,
				taken, tz, p.Camera, p.Caption, now.Unix())
			if err != nil {
				return wrap(fmt.Sprintf("add photo %q", p.Filename), err)
			}
			p.ID, _ = res.LastInsertId()
			p.CreatedAt = time.Unix(now.Unix(), 0)
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("add photos", err)
	}
	return out, nil
}
