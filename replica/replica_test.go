package replica_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/replica"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

func fileTarget(t *testing.T) *replica.Target {
	t.Helper()
	tg, err := replica.Parse("file://" + t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func openStore(t *testing.T, path string) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func start(t *testing.T, tg *replica.Target, path string) *replica.Replicator {
	t.Helper()
	r, err := replica.Start(context.Background(), tg, path, quiet)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// addGalleries makes n galleries, each with a description of size bytes.
func addGalleries(t *testing.T, s *db.Store, prefix string, n, size int) {
	t.Helper()
	for i := range n {
		title := fmt.Sprintf("%s %d", prefix, i)
		unit := fmt.Sprintf("%s-%d ", prefix, i)
		desc := strings.Repeat(unit, size/len(unit)+1)[:size]
		if _, err := s.CreateGallery(context.Background(), db.GalleryInput{Title: &title, Description: &desc}); err != nil {
			t.Fatal(err)
		}
	}
}

// contents is what a store holds that the tests compare.
type contents struct {
	Galleries []string // slug, title, PIN and description
	Studio    string
}

func read(t *testing.T, s *db.Store) contents {
	t.Helper()
	ctx := context.Background()
	gs, err := s.Galleries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var c contents
	for _, g := range gs {
		full, err := s.GallerySettingsByID(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Galleries = append(c.Galleries, fmt.Sprintf("%s|%s|%s|%s", full.Slug, full.Title, full.PIN, full.Description))
	}
	if c.Studio, err = s.Setting(ctx, db.SettingStudioName); err != nil {
		t.Fatal(err)
	}
	return c
}

func restore(t *testing.T, tg *replica.Target, opt replica.RestoreOptions) (contents, replica.Restored) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	done, err := replica.Restore(context.Background(), tg, path, opt, quiet)
	if err != nil {
		t.Fatal(err)
	}
	s := openStore(t, path)
	defer s.Close()
	return read(t, s), done
}

func TestReplicate_RestoreLatest(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	s := openStore(t, path)
	defer s.Close()
	tg := fileTarget(t)
	r := start(t, tg, path)
	addGalleries(t, s, "Wedding", 20, 100)
	if err := s.SetSetting(ctx, db.SettingStudioName, "Studio Lumen"); err != nil {
		t.Fatal(err)
	}
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := read(t, s)
	got, done := restore(t, tg, replica.RestoreOptions{})
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("restored %+v\nwant %+v", got, want)
	}
	if done.TXID == "" || time.Since(done.At) > time.Minute {
		t.Errorf("restored %+v", done)
	}
	// Without waiting for Sync: the commits reach the replica by themselves
	// within a few seconds.
	addGalleries(t, s, "Portrait", 3, 100)
	want = read(t, s)
	deadline := time.Now().Add(10 * time.Second)
	for {
		got, _ := restore(t, tg, replica.RestoreOptions{})
		if reflect.DeepEqual(got, want) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s the replica has %d galleries, want %d", len(got.Galleries), len(want.Galleries))
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// Pinhole's own connections checkpoint the WAL (SQLite's automatic
// checkpoint at 1,000 pages, and the last connection's checkpoint when a
// store closes) while Litestream holds a read transaction to control
// checkpoints. Several megabytes of writes, stores closed and reopened
// beside the replicator, and writes made while no replicator runs must
// all come back in a restore.
func TestReplicate_CheckpointsOfPinhole(t *testing.T) {
	if testing.Short() {
		t.Skip("writes megabytes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	tg := fileTarget(t)
	s := openStore(t, path)
	r := start(t, tg, path)
	// 1,500 galleries of 4 kB: about 6 MB, past the automatic checkpoint.
	addGalleries(t, s, "Big", 1500, 4000)
	// A second store (a command run beside serve) writes and closes.
	s2 := openStore(t, path)
	addGalleries(t, s2, "Beside", 5, 100)
	s2.Close()
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got, want := mustRestore(t, tg), read(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the big writes: restored %d galleries, want %d", len(got.Galleries), len(want.Galleries))
	}

	// Serve stops: the replicator first, then the store, whose close
	// checkpoints and empties the WAL. A command then writes alone, and
	// its close checkpoints again.
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openStore(t, path)
	addGalleries(t, s, "Offline", 5, 100)
	if err := s.SetSetting(ctx, db.SettingStudioName, "Written while not replicating"); err != nil {
		t.Fatal(err)
	}
	s.Close()

	// Serve starts again: what was written meanwhile reaches the replica.
	s = openStore(t, path)
	defer s.Close()
	r = start(t, tg, path)
	addGalleries(t, s, "Again", 5, 100)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	want := read(t, s)
	if got := mustRestore(t, tg); !reflect.DeepEqual(got, want) {
		t.Fatalf("after a restart: restored %d galleries (studio %q), want %d (%q)", len(got.Galleries), got.Studio, len(want.Galleries), want.Studio)
	}
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

func mustRestore(t *testing.T, tg *replica.Target) contents {
	t.Helper()
	c, _ := restore(t, tg, replica.RestoreOptions{})
	return c
}

func TestRestore_PointInTime(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	s := openStore(t, path)
	defer s.Close()
	tg := fileTarget(t)
	r := start(t, tg, path)
	defer r.Close(ctx)
	addGalleries(t, s, "Before", 3, 10)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	before := read(t, s)
	time.Sleep(1100 * time.Millisecond) // file times have a second's precision on some systems
	at := time.Now()
	time.Sleep(1100 * time.Millisecond)
	addGalleries(t, s, "After", 3, 10)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	got, done := restore(t, tg, replica.RestoreOptions{Timestamp: at})
	if !reflect.DeepEqual(got, before) {
		t.Fatalf("restored at %s: %v\nwant %v", at.Format(time.RFC3339Nano), got.Galleries, before.Galleries)
	}
	if done.At.After(at) {
		t.Errorf("restored a transaction of %s, after %s", done.At, at)
	}
	if got := mustRestore(t, tg); len(got.Galleries) != 6 {
		t.Errorf("the latest has %d galleries, want 6", len(got.Galleries))
	}
	// Before the first copy, or after the last: nothing to restore.
	for _, ts := range []time.Time{at.Add(-time.Hour), time.Now().Add(time.Hour)} {
		_, err := replica.Restore(ctx, tg, filepath.Join(t.TempDir(), "pinhole.db"), replica.RestoreOptions{Timestamp: ts}, quiet)
		if !errors.Is(err, replica.ErrNoPoint) || !strings.Contains(err.Error(), "it holds") {
			t.Errorf("restore at %s: %v, want %v saying what it holds", ts, err, replica.ErrNoPoint)
		}
	}
}

func TestRestore_Refuses(t *testing.T) {
	ctx := context.Background()
	empty := fileTarget(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "pinhole.db")
	if _, err := replica.Restore(ctx, empty, path, replica.RestoreOptions{}, quiet); !errors.Is(err, replica.ErrEmpty) {
		t.Errorf("from an empty replica: %v, want %v", err, replica.ErrEmpty)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed restore left %s: %v", path, err)
	}

	// A data folder with its database is left alone without --force.
	src := filepath.Join(t.TempDir(), "pinhole.db")
	s := openStore(t, src)
	tg := fileTarget(t)
	r := start(t, tg, src)
	addGalleries(t, s, "Kept", 2, 10)
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	want := read(t, s)
	s.Close()

	local := openStore(t, path)
	addGalleries(t, local, "Local", 1, 10)
	local.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = replica.Restore(ctx, tg, path, replica.RestoreOptions{}, quiet)
	if !errors.Is(err, replica.ErrExists) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over a database: %v, want %v naming --force", err, replica.ErrExists)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Fatal("a refused restore changed the database")
	}
	// --force replaces it, WAL and all.
	if err := os.WriteFile(path+"-wal", []byte("stale frames of the old database"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := replica.Restore(ctx, tg, path, replica.RestoreOptions{Force: true}, quiet); err != nil {
		t.Fatal(err)
	}
	s = openStore(t, path)
	defer s.Close()
	if got := read(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("forced restore: %v, want %v", got, want)
	}
}

func TestCheckFresh(t *testing.T) {
	ctx := context.Background()
	tg := fileTarget(t)
	path := filepath.Join(t.TempDir(), "pinhole.db")
	// An empty replica and no database: a first start.
	if err := replica.CheckFresh(ctx, tg, path, quiet); err != nil {
		t.Fatal(err)
	}
	s := openStore(t, path)
	r := start(t, tg, path)
	addGalleries(t, s, "G", 1, 10)
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// The same folder starts again.
	if err := replica.CheckFresh(ctx, tg, path, quiet); err != nil {
		t.Fatal(err)
	}
	// A new, empty data folder must be restored first.
	err := replica.CheckFresh(ctx, tg, filepath.Join(t.TempDir(), "pinhole.db"), quiet)
	if !errors.Is(err, replica.ErrFresh) || !strings.Contains(err.Error(), "pinhole restore "+tg.URL) {
		t.Fatalf("fresh folder: %v, want %v saying to restore", err, replica.ErrFresh)
	}
}

func TestStatus(t *testing.T) {
	ctx := context.Background()
	tg := fileTarget(t)
	path := filepath.Join(t.TempDir(), "pinhole.db")
	st, err := replica.ReadStatus(ctx, tg, path, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if st.LatestTXID != "" || st.Replicated || st.Behind != 0 {
		t.Errorf("nothing replicated: %+v", st)
	}
	s := openStore(t, path)
	defer s.Close()
	r := start(t, tg, path)
	defer r.Close(ctx)
	addGalleries(t, s, "G", 3, 10)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = replica.ReadStatus(ctx, tg, path, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Replicated || st.Behind != 0 || !st.UpToDate || st.Unseen || st.LatestTXID == "" || st.LatestTXID != st.LocalTXID || time.Since(st.LatestAt) > time.Minute || st.Oldest.After(st.LatestAt) {
		t.Errorf("in step: %+v", st)
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		url  string
		want string // "" when valid, else part of the error
	}{
		{"file:///var/backups/pinhole", ""},
		{"s3://bucket/pinhole/db", ""},
		{"s3://bucket", ""},
		{"file://backups", ""},
		{"file://./backups", ""},
		{"file:backups", "file://backups, with two slashes"},
		{"file://~/backups", "~ is not expanded"},
		{"file://", "folder is missing"},
		{"s3:///prefix", "bucket is missing"},
		{"backups", "needs a scheme"},
		{"gs://bucket/x", "only file:// and s3://"},
		{"s3://bucket/x?endpoint=http://h", "AWS_ENDPOINT_URL"},
		{"s3://key:secret@bucket/x", "AWS_ENDPOINT_URL"},
	} {
		_, err := replica.Parse(tt.url)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("Parse(%q): %v", tt.url, err)
		case tt.want != "" && (!errors.Is(err, replica.ErrURL) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("Parse(%q): %v, want %v saying %q", tt.url, err, replica.ErrURL, tt.want)
		}
	}
	// A relative folder is the working directory's, named absolute.
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	want := "file://" + filepath.ToSlash(filepath.Join(wd, "backups"))
	for _, raw := range []string{"file://backups", "file://./backups/", "file://" + filepath.ToSlash(wd) + "/backups"} {
		if tg, err := replica.Parse(raw); err != nil || tg.URL != want {
			t.Errorf("Parse(%q) = %v, %v; want the URL %s", raw, tg, err, want)
		}
	}
}

// A commit made while nothing replicates is in none of Litestream's
// files: status compares the database itself with the replica.
func TestStatus_ChangesWhileNotReplicating(t *testing.T) {
	ctx := context.Background()
	tg := fileTarget(t)
	path := filepath.Join(t.TempDir(), "pinhole.db")
	s := openStore(t, path)
	r := start(t, tg, path)
	addGalleries(t, s, "G", 3, 10)
	if err := r.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err := replica.ReadStatus(ctx, tg, path, quiet); err != nil || !st.UpToDate || st.Unseen {
		t.Fatalf("while replicating: %+v, %v", st, err)
	}
	if err := r.Close(ctx); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if st, err := replica.ReadStatus(ctx, tg, path, quiet); err != nil || !st.UpToDate || st.Unseen {
		t.Fatalf("once stopped: %+v, %v", st, err)
	}

	s = openStore(t, path)
	addGalleries(t, s, "Offline", 1, 10)
	st, err := replica.ReadStatus(ctx, tg, path, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if st.UpToDate || !st.Unseen || st.Behind != 0 {
		t.Fatalf("after a commit made while not replicating (store open): %+v", st)
	}
	s.Close()
	if st, err := replica.ReadStatus(ctx, tg, path, quiet); err != nil || st.UpToDate || !st.Unseen {
		t.Fatalf("after a commit made while not replicating (store closed): %+v, %v", st, err)
	}
}
