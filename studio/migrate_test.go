package studio

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pinhole/media"
	"pinhole/media/storetest"
)

// migrateFixture imports the good photos and makes an empty second
// storage, whose objects are not files (as a bucket's).
func migrateFixture(t *testing.T) (*fixture, *media.Folder, media.Store, string) {
	t.Helper()
	f := newFixture(t)
	if _, err := Import(context.Background(), f.store, f.lib, f.slug, goodPaths(), media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "moved")
	to, err := media.NewFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	return f, to, storetest.Streamed(to), filepath.Join(t.TempDir(), MigrateJournal)
}

// checkMoved: every file the database needs is in both, byte for byte.
func checkMoved(t *testing.T, f *fixture, to media.Store) int {
	t.Helper()
	shas, err := f.store.ContentHashes(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, sha := range shas {
		for _, k := range media.Keys(sha) {
			if !bytes.Equal(storetest.ReadAll(t, f.lib.Store(), k), storetest.ReadAll(t, to, k)) {
				t.Errorf("%s differs", k)
			}
			n++
		}
	}
	return n
}

func TestMigrateStorage(t *testing.T) {
	f, _, to, journal := migrateFixture(t)
	ctx := context.Background()
	rep, err := MigrateStorage(ctx, f.store, f.lib.Store(), to, to.URL(), journal, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := checkMoved(t, f, to)
	if !rep.Switched || rep.Files != n || rep.Copied != n || rep.Verified != 0 || len(rep.Missing) != 0 || rep.Bytes == 0 {
		t.Errorf("report %+v, want %d files copied and the switch", rep, n)
	}
	if got, _ := f.store.StorageURL(ctx); got != to.URL() {
		t.Errorf("the database names %q, want %q", got, to.URL())
	}
	if _, err := os.Stat(journal); err == nil {
		t.Error("the journal is left after the switch")
	}
	// The old copy stays, whole.
	if rep, err := Doctor(ctx, f.store, f.lib, DoctorOptions{Hashes: true}); err != nil || len(rep.Problems) != 0 {
		t.Errorf("the old storage after the move: %+v, %v", rep.Problems, err)
	}
	// A library on the new one is whole too.
	if rep, err := Doctor(ctx, f.store, media.New(to), DoctorOptions{Hashes: true}); err != nil || len(rep.Problems) != 0 {
		t.Errorf("the new storage: %+v, %v", rep.Problems, err)
	}
}

// TestMigrateStorage_Resume: a migration cut off half way is resumed by
// running it again: what it copied and verified is not copied again, the
// database is switched only at the end.
func TestMigrateStorage_Resume(t *testing.T) {
	f, folder, to, journal := migrateFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	half := 0
	_, err := MigrateStorage(ctx, f.store, f.lib.Store(), to, to.URL(), journal, func(p Progress) {
		if p.Done == p.Total/2 {
			half = p.Imported
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cut off: %v", err)
	}
	if got, _ := f.store.StorageURL(context.Background()); got != "" {
		t.Fatalf("the database was switched by a migration cut off: %q", got)
	}
	// What the first run noted as verified, and when it was written.
	noted, err := readJournal(journal, to.URL())
	if err != nil || len(noted) == 0 || half == 0 {
		t.Fatalf("journal after the cut: %d files (%v), %d copied", len(noted), err, half)
	}
	mods := map[string]time.Time{}
	for k := range noted {
		info, err := folder.Stat(context.Background(), k)
		if err != nil {
			t.Fatalf("noted but not there: %v", err)
		}
		mods[k] = info.ModTime
	}
	time.Sleep(20 * time.Millisecond) // a file written again would show a later time
	rep, err := MigrateStorage(context.Background(), f.store, f.lib.Store(), to, to.URL(), journal, nil)
	if err != nil {
		t.Fatal(err)
	}
	n := checkMoved(t, f, to)
	if !rep.Switched || rep.Files != n || rep.Verified != len(noted) || rep.Copied+rep.Verified != n {
		t.Errorf("resumed: %+v; %d files, %d noted before the cut", rep, n, len(noted))
	}
	for k, m := range mods {
		if info, err := folder.Stat(context.Background(), k); err != nil || !info.ModTime.Equal(m) {
			t.Errorf("%s copied again (%v)", k, err)
		}
	}
}

// TestMigrateStorage_DamagedOriginal: an original whose bytes are not
// those imported is not copied over as the photo, and the database stays
// with the old storage.
func TestMigrateStorage_DamagedOriginal(t *testing.T) {
	f, _, to, journal := migrateFixture(t)
	ctx := context.Background()
	shas, _, _ := f.lib.Stored(ctx)
	p := f.lib.Store().Location(media.OriginalKey(shas[0]))
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0xff
	os.WriteFile(p, b, 0o644)
	rep, err := MigrateStorage(ctx, f.store, f.lib.Store(), to, to.URL(), journal, nil)
	if !errors.Is(err, ErrMigrateFailed) || rep.Switched {
		t.Fatalf("with a damaged original: %+v, %v", rep, err)
	}
	if _, err := to.Stat(ctx, media.OriginalKey(shas[0])); err == nil {
		t.Error("the damaged original was copied")
	}
	if got, _ := f.store.StorageURL(ctx); got != "" {
		t.Errorf("switched to %q", got)
	}
	if _, err := MigrateStorage(ctx, f.store, f.lib.Store(), f.lib.Store(), "", journal, nil); err == nil {
		t.Error("a migration to the storage in use: no error")
	}
}

// TestMigrateStorage_PastTheCache: from a store behind the cache of hot
// renditions (a bucket's), the files are read from the store itself, so
// the website's cache keeps what it held.
func TestMigrateStorage_PastTheCache(t *testing.T) {
	f, _, to, journal := migrateFixture(t)
	cache, err := media.NewCache(f.lib.Store(), filepath.Join(t.TempDir(), "cache"), 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := MigrateStorage(context.Background(), f.store, cache, to, to.URL(), journal, nil)
	if err != nil || !rep.Switched {
		t.Fatalf("%+v, %v", rep, err)
	}
	checkMoved(t, f, to)
	if n := cache.Size(); n != 0 {
		t.Errorf("the migration filled the cache with %d bytes", n)
	}
}
