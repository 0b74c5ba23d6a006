package db_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
)

func TestStore_Open(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "pinhole.db")
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatalf("Open on an empty folder: %v", err)
	}
	v1, err := s.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v1 < 1 {
		t.Fatalf("Version after first Open = %d, want ≥ 1", v1)
	}
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("Smith wedding")})
	if err != nil {
		t.Fatal(err)
	}
	schema := schemaOf(t, path)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	// Re-opening migrates nothing and keeps the data.
	for i := range 2 {
		s, err = db.Open(ctx, path)
		if err != nil {
			t.Fatalf("re-open %d: %v", i, err)
		}
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != v1 {
			t.Errorf("re-open %d: Version = %d, want %d", i, v, v1)
		}
		got, err := s.Gallery(ctx, g.Slug)
		if err != nil {
			t.Fatalf("re-open %d: Gallery(%q): %v", i, g.Slug, err)
		}
		if got.Title != g.Title || got.PIN != g.PIN {
			t.Errorf("re-open %d: got %q/%q, want %q/%q", i, got.Title, got.PIN, g.Title, g.PIN)
		}
		if got := schemaOf(t, path); got != schema {
			t.Errorf("re-open %d changed the schema:\n%s\nwant\n%s", i, got, schema)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// schemaOf is every CREATE statement in the file.
func schemaOf(t *testing.T, path string) string {
	t.Helper()
	raw := rawDB(t, path)
	defer raw.Close()
	rows, err := raw.Query("SELECT type, name, COALESCE(sql, '') FROM sqlite_master ORDER BY type, name")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, sql string
		if err := rows.Scan(&typ, &name, &sql); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s: %s\n", typ, name, sql)
	}
	if b.Len() == 0 {
		t.Fatal("empty schema")
	}
	return b.String()
}

func TestStore_OpenNotADatabase(t *testing.T) {
	tests := []struct {
		name    string
		content []byte
	}{
		{"text", []byte("these are my holiday notes, not a database\n")},
		{"jpeg", append([]byte{0xff, 0xd8, 0xff, 0xe0}, make([]byte, 4096)...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pinhole.db")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := db.Open(context.Background(), path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a file that is not a database")
			}
			got, _ := os.ReadFile(path)
			if !bytes.Equal(got, tt.content) {
				t.Error("Open changed a file that is not a database")
			}
		})
	}
}

func TestStore_OpenPragmas(t *testing.T) {
	s, _ := openStore(t)
	raw := rawDB(t, s.Path())
	var mode string
	if err := raw.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Errorf("journal_mode on the file = %q, want wal", mode)
	}
	// The file header says WAL too: bytes 18 and 19 are 2.
	s.Close()
	hdr := make([]byte, 20)
	f, err := os.Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Read(hdr); err != nil {
		t.Fatal(err)
	}
	if hdr[18] != 2 || hdr[19] != 2 {
		t.Errorf("header bytes 18,19 = %d,%d, want 2,2 (WAL)", hdr[18], hdr[19])
	}
}

func TestStore_ForeignKeys(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	// Foreign keys are enforced on the store's own connection: a photo of a
	// gallery that does not exist is refused.
	_, err := s.AddPhoto(ctx, db.Photo{GalleryID: 4242, Filename: "a.jpg", SHA256: "aa", Width: 1, Height: 1})
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("AddPhoto to a missing gallery: err = %v, want ErrNotFound", err)
	}
	raw := rawDB(t, s.Path())
	if n := count(t, raw, "SELECT COUNT(*) FROM photos"); n != 0 {
		t.Errorf("photos = %d, want 0", n)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

func TestStore_OpenTooNew(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		// make writes a database at path whose schema is newer than ours.
		make func(t *testing.T, path string)
		// live: another connection holds the file open, so its -wal and
		// -shm files are there already.
		live bool
	}{
		{"written by pinhole", func(t *testing.T, path string) {
			s, err := db.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			setVersion(t, path, 999)
		}, false},
		{"rollback journal", func(t *testing.T, path string) {
			setVersion(t, path, 1000)
		}, false},
		{"newer version still running, change only in the WAL", func(t *testing.T, path string) {
			s, err := db.Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			s.Close()
			raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=wal_autocheckpoint(0)")
			if err != nil {
				t.Fatal(err)
			}
			raw.SetMaxOpenConns(1)
			t.Cleanup(func() { raw.Close() })
			if _, err := raw.Exec("PRAGMA user_version = 999"); err != nil {
				t.Fatal(err)
			}
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "pinhole.db")
			tt.make(t, path)
			before := fileSum(t, path)
			hdrBefore := header(t, path)

			s, err := db.Open(ctx, path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded on a newer schema")
			}
			if !errors.Is(err, db.ErrTooNew) {
				t.Fatalf("Open: err = %v, want ErrTooNew", err)
			}
			if got := fileSum(t, path); got != before {
				t.Error("Open changed the database file")
			}
			if got := header(t, path); !bytes.Equal(got, hdrBefore) {
				t.Errorf("header = %v, want %v", got, hdrBefore)
			}
			for _, suffix := range []string{"-wal", "-shm", "-journal"} {
				if _, err := os.Stat(path + suffix); err == nil && !tt.live {
					t.Errorf("Open left a %s file", suffix)
				}
			}
		})
	}
}

// setVersion sets PRAGMA user_version with a plain connection (creating the
// file with the default rollback journal if it does not exist).
func setVersion(t *testing.T, path string, v int) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("CREATE TABLE IF NOT EXISTS future (x)"); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		t.Fatal(err)
	}
}

// header is the first 100 bytes of a database file; bytes 18 and 19 say
// rollback journal (1) or WAL (2).
func header(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b[:100]
}

// TestStore_CloseKeepsWALIndex: a closed store leaves its -shm file
// (opening needs it, and making it anew needs disk space a full disk does
// not have) and an empty -wal file, so that no stale frame could ever be
// laid over a database file restored from a backup.
func TestStore_CloseKeepsWALIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if _, err := s.CreateGallery(ctx, db.GalleryInput{Title: new(fmt.Sprintf("Gallery %d", i))}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path + "-shm"); err != nil || fi.Size() == 0 {
		t.Errorf("-shm after close: %v, %v", fi, err)
	}
	if fi, err := os.Stat(path + "-wal"); err != nil || fi.Size() != 0 {
		t.Errorf("-wal after close: want an empty file, got %v, %v", fi, err)
	}
	s, err = db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	gs, err := s.Galleries(ctx)
	if err != nil || len(gs) != 50 {
		t.Fatalf("after reopening: %d galleries, %v", len(gs), err)
	}
}
