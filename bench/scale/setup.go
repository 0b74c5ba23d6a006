package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"time"

	"pinhole/db"
	"pinhole/media"
)

// folder is a data folder being filled for one measurement.
type folder struct {
	dir   string
	store *db.Store
	lib   *media.Library
}

func newFolder(ctx context.Context, dir string) (*folder, error) {
	store, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		return nil, err
	}
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		store.Close()
		return nil, err
	}
	return &folder{dir: dir, store: store, lib: lib}, nil
}

func (f *folder) close() { f.store.Close() }

// gallery is a PIN gallery and a session that has typed its PIN.
type gallery struct {
	db.Gallery
	cookie string
}

func (f *folder) gallery(ctx context.Context, title string) (gallery, error) {
	g, err := f.store.CreateGallery(ctx, db.GalleryInput{Title: &title, Access: new(db.PINAccess), PIN: new("123456")})
	if err != nil {
		return gallery{}, err
	}
	tok, _, err := f.store.CreateSession(ctx, db.Session{GalleryID: g.ID, PINGalleryID: g.ID, PINVersion: g.PINVersion, ExpiresAt: time.Now().Add(24 * time.Hour)})
	if err != nil {
		return gallery{}, err
	}
	return gallery{g, fmt.Sprintf("pinhole_g%d=%s", g.ID, tok)}, nil
}

// photos records photos from+1 … from+n in g. With size > 0 each gets a random original
// of that many bytes (for ZIPs); otherwise only rows (pages never open a
// photo file).
func (f *folder) photos(ctx context.Context, g gallery, from, n, size int) error {
	buf := make([]byte, max(size, 8))
	rows := make([]db.Photo, 0, min(n, 10000))
	flush := func() error {
		_, err := f.store.AddPhotos(ctx, rows)
		rows = rows[:0]
		return err
	}
	for i := from; i < from+n; i++ {
		var sha string
		if size > 0 {
			rand.Read(buf)
			sum := sha256.Sum256(buf)
			sha = hex.EncodeToString(sum[:])
			if err := f.lib.Store().Put(ctx, media.OriginalKey(sha), bytes.NewReader(buf)); err != nil {
				return err
			}
		} else {
			binary.BigEndian.PutUint64(buf, uint64(g.ID)<<32|uint64(i))
			sum := sha256.Sum256(buf[:8])
			sha = hex.EncodeToString(sum[:])
		}
		w, h := 6000, 4000
		if i%5 == 3 {
			w, h = h, w
		}
		rows = append(rows, db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%05d.JPG", i+1), SHA256: sha,
			Bytes: int64(max(size, 8<<20)), Width: w, Height: h})
		if len(rows) == cap(rows) {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// events adds n events, spread over the last 90 days, to galleries gs,
// straight into the table in one transaction (through the store, each
// would be a transaction of its own).
func (f *folder) events(ctx context.Context, gs []gallery, n int) error {
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(f.dir, "pinhole.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		return err
	}
	defer raw.Close()
	tx, err := raw.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO events (gallery_id, kind, visitor, address, detail, at) VALUES (?, ?, ?, ?, '', ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	kinds := []string{db.EventView, db.EventDownload, db.EventFavourite, db.EventView, "zip", "pin_fail"}
	now := time.Now().Unix()
	for i := range n {
		g := gs[i%len(gs)]
		at := now - int64(n-i)*int64(90*24*3600)/int64(n)
		if _, err := stmt.ExecContext(ctx, g.ID, kinds[i%len(kinds)], fmt.Sprintf("Guest %d", i%997),
			fmt.Sprintf("192.0.2.%d", i%250), at); err != nil {
			return fmt.Errorf("add events: %w", err)
		}
	}
	return tx.Commit()
}

// client is a client login granted galleries, with a session cookie.
func (f *folder) client(ctx context.Context, name string, gs []gallery) (string, error) {
	c, err := f.store.CreateClient(ctx, db.ClientInput{Name: &name})
	if err != nil {
		return "", err
	}
	slugs := make([]string, len(gs))
	for i, g := range gs {
		slugs[i] = g.Slug
	}
	if err := f.store.Grant(ctx, c.ID, slugs...); err != nil {
		return "", err
	}
	tok, _, err := f.store.CreateSession(ctx, db.Session{ClientID: c.ID, ExpiresAt: time.Now().Add(24 * time.Hour)})
	if err != nil {
		return "", err
	}
	return "pinhole_c=" + tok, nil
}
