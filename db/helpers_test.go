package db_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
)

// t0 is the tests' "now": a fixed moment, so that expiry and ordering do
// not depend on the wall clock.
var t0 = time.Date(2030, 6, 15, 12, 0, 0, 0, time.UTC)

// openStore opens a new database in a temporary folder with a clock stopped at t0.
func openStore(t *testing.T) (*db.Store, *dbtest.Clock) {
	t.Helper()
	c := dbtest.NewClock(t0)
	return dbtest.Open(t, c), c
}

// rawDB opens a plain connection to the store's file, for looking at rows
// the package does not expose.
func rawDB(t *testing.T, path string) *sql.DB {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { raw.Close() })
	return raw
}

// count runs a COUNT query on a plain connection.
func count(t *testing.T, raw *sql.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := raw.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// mkGallery creates a gallery with a title, failing the test on error.
func mkGallery(t *testing.T, s *db.Store, title string, mods ...func(*db.GalleryInput)) db.Gallery {
	t.Helper()
	in := db.GalleryInput{Title: new(title)}
	for _, m := range mods {
		m(&in)
	}
	g, err := s.CreateGallery(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateGallery(%q): %v", title, err)
	}
	return g
}

func withParent(slug string) func(*db.GalleryInput) {
	return func(in *db.GalleryInput) { in.Parent = new(slug) }
}

// mkPhoto adds a photo, failing the test on error.
func mkPhoto(t *testing.T, s *db.Store, galleryID int64, name, sha string, taken time.Time) db.Photo {
	t.Helper()
	p, err := s.AddPhoto(context.Background(), db.Photo{GalleryID: galleryID, Filename: name, SHA256: sha,
		Bytes: 1000, Width: 3000, Height: 2000, TakenAt: taken})
	if err != nil {
		t.Fatalf("AddPhoto(%q): %v", name, err)
	}
	return p
}
