package db_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"pinhole/db"
)

// Two processes starting at once on an unmigrated database (the TUI and
// the server, say) both open it; each migration runs once.
//
// The file is made in WAL mode beforehand: switching a brand-new file to
// WAL while another connection opens it fails with SQLITE_BUSY at once
// (SQLite does not wait on the busy timeout for that), which is a separate
// matter from running migrations twice.
func TestStore_OpenConcurrent(t *testing.T) {
	ctx := context.Background()
	fresh, _ := openStore(t)
	want, err := fresh.Version(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for round := range 10 {
		path := filepath.Join(t.TempDir(), "pinhole.db")
		raw := rawDB(t, path)
		var mode string
		if err := raw.QueryRow("PRAGMA journal_mode = wal").Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal_mode = %q, %v", mode, err)
		}
		raw.Close()
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := db.Open(ctx, path)
				if err == nil {
					err = s.Close()
				}
				errs[i] = err
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("round %d, Open %d: %v", round, i, err)
			}
		}
		s, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := s.Version(ctx); err != nil || v != want {
			t.Errorf("Version = %d, %v, want %d", v, err, want)
		}
		s.Close()
	}
}
