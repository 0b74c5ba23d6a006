package db_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
)

// busy reports whether err is SQLite saying it could not get a lock.
func busy(err error) bool {
	if err == nil {
		return false
	}
	m := strings.ToLower(err.Error())
	return strings.Contains(m, "locked") || strings.Contains(m, "busy")
}

func TestStore_Concurrent(t *testing.T) {
	ctx := context.Background()
	s := dbtest.Open(t, nil) // real time: this test is about real contention
	base := mkGallery(t, s, "Base")
	raw := rawDB(t, s.Path())

	const writers, readers = 8, 8
	run := 3 * time.Second
	if testing.Short() {
		run = time.Second
	}
	deadline := time.Now().Add(run)

	var events, galleries, reads atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers+readers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				var err error
				if i%4 == 3 {
					_, err = s.CreateGallery(ctx, db.GalleryInput{Title: new(fmt.Sprintf("w%d-%d", w, i))})
					if err == nil {
						galleries.Add(1)
					}
				} else {
					err = s.AddEvent(ctx, db.Event{GalleryID: base.ID, Kind: db.EventView, Detail: fmt.Sprintf("w%d-%d", w, i)})
					if err == nil {
						events.Add(1)
					}
				}
				if err != nil {
					errs <- fmt.Errorf("writer %d, write %d: %w", w, i, err)
					return
				}
			}
		}()
	}
	for r := range readers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				var err error
				switch i % 3 {
				case 0:
					_, err = s.Events(ctx, db.EventFilter{GalleryID: base.ID, Limit: 50})
				case 1:
					_, err = s.Galleries(ctx)
				case 2:
					_, err = s.GalleryStats(ctx, base.ID, time.Time{})
				}
				if err != nil {
					errs <- fmt.Errorf("reader %d, read %d: %w", r, i, err)
					return
				}
				reads.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if busy(err) {
			t.Errorf("lock error under load: %v", err)
		} else {
			t.Error(err)
		}
	}

	if got, want := count(t, raw, "SELECT COUNT(*) FROM events"), int(events.Load()); got != want {
		t.Errorf("events = %d, want %d successful writes", got, want)
	}
	if got, want := count(t, raw, "SELECT COUNT(*) FROM galleries"), int(galleries.Load())+1; got != want {
		t.Errorf("galleries = %d, want %d", got, want)
	}
	if events.Load() == 0 || galleries.Load() == 0 || reads.Load() == 0 {
		t.Errorf("nothing happened: %d events, %d galleries, %d reads", events.Load(), galleries.Load(), reads.Load())
	}
	t.Logf("%v: %d events, %d galleries, %d reads", run, events.Load(), galleries.Load(), reads.Load())
}

// Two stores on one file, as when the TUI and the server run as two
// processes: their writers take turns instead of failing.
func TestStore_ConcurrentTwoStores(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	var stores [2]*db.Store
	for i := range stores {
		s, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		stores[i] = s
	}
	const perWriter = 40
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := stores[w%2]
			for i := range perWriter {
				if err := s.AddEvent(ctx, db.Event{Kind: db.EventLogin, Detail: fmt.Sprint(w, i)}); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
				if _, err := s.Events(ctx, db.EventFilter{Limit: 5}); err != nil {
					errs <- fmt.Errorf("reader %d: %w", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got, err := stores[0].Events(ctx, db.EventFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 8*perWriter {
		t.Errorf("events = %d, want %d", len(got), 8*perWriter)
	}
}

// Concurrent changes to one gallery do not overwrite each other: every PIN
// change counts once in pin_version, whatever else changes beside it.
func TestStore_UpdateGalleryConcurrent(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	g := mkGallery(t, s, "G", func(in *db.GalleryInput) { in.PIN = new("0000") })
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{PIN: new(fmt.Sprintf("%04d", i+1))}, false)
			errs <- err
		}()
		go func() {
			defer wg.Done()
			_, err := s.UpdateGallery(ctx, g.Slug, db.GalleryInput{Description: new(fmt.Sprint("d", i))}, false)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	got, err := s.Gallery(ctx, g.Slug)
	if err != nil {
		t.Fatal(err)
	}
	if got.PIN == "0000" {
		t.Errorf("PIN = %q: a PIN change was lost", got.PIN)
	}
	if want := 1 + n; got.PINVersion != want {
		t.Errorf("PINVersion = %d after %d PIN changes, want %d: concurrent updates overwrote each other", got.PINVersion, n, want)
	}
}
