package studio

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
	"pinhole/media"
)

// photoDir holds real photos kept in the repository; goodPhotos import.
const photoDir = "../testdata/photos"

var goodPhotos = []string{"DSCN0010.jpg", "Landscape_0.jpg", "hopper.png"}

func goodPaths() []string {
	var out []string
	for _, n := range goodPhotos {
		out = append(out, filepath.Join(photoDir, n))
	}
	return out
}

type fixture struct {
	store *db.Store
	lib   *media.Library
	slug  string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	s := dbtest.OpenAt(t, filepath.Join(dir, "pinhole.db"), nil)
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	title := "Smith wedding"
	g, err := s.CreateGallery(context.Background(), db.GalleryInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{s, lib, g.Slug}
}

// checkFiles is lib.Check, failing the test on an error.
func checkFiles(t *testing.T, lib *media.Library, sha string) []string {
	t.Helper()
	missing, err := lib.Check(context.Background(), sha)
	if err != nil {
		t.Fatal(err)
	}
	return missing
}

// thumbnailPath is where the folder keeps a photo's thumbnail.
func thumbnailPath(lib *media.Library, sha string) string {
	r, _ := media.RenditionNamed(media.Thumbnail)
	return lib.Store().Location(media.RenditionKey(r, sha))
}

// source makes a folder to import: the repository's photos, a copy of one
// under another name, a truncated JPEG and a text file posing as a JPEG.
func source(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	var first []byte
	for _, name := range goodPhotos {
		b, err := os.ReadFile(filepath.Join(photoDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		}
		write(t, filepath.Join(dir, name), b)
	}
	write(t, filepath.Join(dir, "sub", "copy of first.jpg"), first)
	write(t, filepath.Join(dir, "sub", "truncated.jpg"), first[:len(first)/3])
	write(t, filepath.Join(dir, "notes.jpg"), []byte("not a photo at all\n"))
	write(t, filepath.Join(dir, ".hidden.jpg"), first)
	write(t, filepath.Join(dir, "IMG_0001.xmp"), []byte("<x:xmpmeta/>"))
	return dir
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// state is what a gallery holds: its photo rows, and whether each has its files.
func (f *fixture) state(t *testing.T) []string {
	t.Helper()
	ctx := context.Background()
	g, err := f.store.Gallery(ctx, f.slug)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := f.store.Photos(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, p := range ps {
		if m := checkFiles(t, f.lib, p.SHA256); len(m) > 0 {
			t.Errorf("photo %s is recorded but misses %v", p.Filename, m)
		}
		out = append(out, p.SHA256[:12]+" "+p.Filename)
	}
	slices.Sort(out)
	return out
}

func TestImport_Summary(t *testing.T) {
	f := newFixture(t)
	src := source(t)
	ctx := context.Background()
	var first, last Progress
	calls := 0
	sum, err := Import(ctx, f.store, f.lib, f.slug, []string{src}, media.Options{Workers: 2}, func(p Progress) {
		if calls == 0 {
			first = p
		}
		calls++
		last = p
	})
	if err != nil {
		t.Fatal(err)
	}
	n := len(goodPhotos)
	if sum.Imported != n || sum.Existing != 1 || len(sum.Failed) != 2 {
		t.Fatalf("summary %+v, want %d imported, 1 existing (the copy), 2 failed", sum, n)
	}
	for _, fl := range sum.Failed {
		base := filepath.Base(fl.File)
		if base != "truncated.jpg" && base != "notes.jpg" {
			t.Errorf("unexpected failure %v", fl)
		}
		if fl.Error == "" {
			t.Errorf("failure of %s has no reason", base)
		}
	}
	// How many files there are is said before the first one is done,
	// which may take a while (a large photo, a slow disk, a busy database).
	if first.Done != 0 || first.Total != n+3 {
		t.Errorf("progress began at %d/%d, want 0/%d", first.Done, first.Total, n+3)
	}
	if last.Done != last.Total || last.Total != n+3 {
		t.Errorf("progress ended at %d/%d, want %d/%d", last.Done, last.Total, n+3, n+3)
	}
	if got := f.state(t); len(got) != n {
		t.Errorf("gallery holds %v", got)
	}

	// Again: everything is already there, nothing is added.
	sum, err = Import(ctx, f.store, f.lib, f.slug, []string{src}, media.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 0 || sum.Existing != n+1 || len(sum.Failed) != 2 {
		t.Errorf("second import %+v", sum)
	}

	// The same photos in a second gallery are stored once on disk.
	title := "Second"
	g2, err := f.store.CreateGallery(ctx, db.GalleryInput{Title: &title})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Import(ctx, f.store, f.lib, g2.Slug, goodPaths(), media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	stored, strays, err := f.lib.Stored(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != n || len(strays) != 0 {
		t.Errorf("library holds %d originals and strays %v, want %d and none", len(stored), strays, n)
	}

	// Deleting one gallery keeps the files the other uses.
	if removed, err := DeleteGallery(ctx, f.store, f.lib, f.slug); err != nil || removed != 0 {
		t.Errorf("DeleteGallery = %d, %v; want 0 files removed", removed, err)
	}
	if removed, err := DeleteGallery(ctx, f.store, f.lib, g2.Slug); err != nil || removed != n {
		t.Errorf("DeleteGallery = %d, %v; want %d", removed, err, n)
	}
	if stored, _, _ := f.lib.Stored(context.Background()); len(stored) != 0 {
		t.Errorf("files left after both galleries went: %v", stored)
	}
}

func TestImport_UnknownGallery(t *testing.T) {
	f := newFixture(t)
	_, err := Import(context.Background(), f.store, f.lib, "nope", goodPaths(), media.Options{}, nil)
	if !errors.Is(err, db.ErrNotFound) {
		t.Errorf("err = %v, want not found", err)
	}
}

// Cancelling an import at any point leaves a consistent gallery, and
// running it again ends where a clean import ends.
func TestImport_CancelAndResume(t *testing.T) {
	src := source(t)
	clean := newFixture(t)
	if _, err := Import(context.Background(), clean.store, clean.lib, clean.slug, []string{src}, media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	want := clean.state(t)
	for stop := 0; stop <= len(goodPhotos)+3; stop++ {
		f := newFixture(t)
		ctx, cancel := context.WithCancel(context.Background())
		done := 0
		if stop == 0 {
			cancel()
		}
		_, err := Import(ctx, f.store, f.lib, f.slug, []string{src}, media.Options{Workers: 2}, func(p Progress) {
			if done++; done == stop {
				cancel()
			}
		})
		cancel()
		if stop < len(goodPhotos)+3 && !errors.Is(err, context.Canceled) && err != nil {
			t.Errorf("stop %d: err = %v", stop, err)
		}
		f.state(t) // every recorded photo has its files
		if _, err := Import(context.Background(), f.store, f.lib, f.slug, []string{src}, media.Options{}, nil); err != nil {
			t.Fatal(err)
		}
		if got := f.state(t); !slices.Equal(got, want) {
			t.Errorf("stop %d: after resuming %v, want %v", stop, got, want)
		}
		if _, strays, _ := f.lib.Stored(context.Background()); len(strays) != 0 {
			t.Errorf("stop %d: stray files %v", stop, strays)
		}
	}
}

func TestDoctor_RepairsMissingRendition(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := Import(ctx, f.store, f.lib, f.slug, goodPaths(), media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	rep, err := Doctor(ctx, f.store, f.lib, DoctorOptions{})
	if err != nil || len(rep.Problems) != 0 {
		t.Fatalf("healthy library: %+v, %v", rep, err)
	}
	shas, _, _ := f.lib.Stored(context.Background())
	thumb := thumbnailPath(f.lib, shas[0])
	before, err := os.ReadFile(thumb)
	if err != nil {
		t.Fatal(err)
	}
	os.Remove(thumb)
	stray := f.lib.Store().Location("previews/zz/junk.jpg")
	write(t, stray, []byte("junk"))

	rep, err = Doctor(ctx, f.store, f.lib, DoctorOptions{})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, p := range rep.Problems {
		kinds[p.Path] = p.Kind
	}
	if kinds[thumb] != "missing-rendition" || kinds[stray] != "stray" {
		t.Fatalf("doctor found %+v", rep.Problems)
	}
	if _, err := os.Stat(thumb); err == nil {
		t.Fatal("doctor without --repair changed files")
	}

	rep, err = Doctor(ctx, f.store, f.lib, DoctorOptions{Repair: true})
	if err != nil {
		t.Fatal(err)
	}
	after, err := os.ReadFile(thumb)
	if err != nil {
		t.Fatalf("thumbnail not remade: %v (%+v)", err, rep.Problems)
	}
	if len(after) == 0 || len(before) == 0 {
		t.Error("empty thumbnail")
	}
	// A fresh stray may belong to an import in progress: left alone.
	if _, err := os.Stat(stray); err != nil {
		t.Error("doctor removed a recent stray file")
	}
	old := time.Now().Add(-2 * time.Hour)
	os.Chtimes(stray, old, old)
	if _, err := Doctor(ctx, f.store, f.lib, DoctorOptions{Repair: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stray); err == nil {
		t.Error("doctor --repair left an old stray file")
	}
	if rep, _ := Doctor(ctx, f.store, f.lib, DoctorOptions{}); len(rep.Problems) != 0 {
		t.Errorf("after repair: %+v", rep.Problems)
	}
}

// TestDoctor_NewRendition: a library from before a rendition was added to
// the table (here: the medium size removed from every photo) gets it from
// doctor --repair, with progress for every photo, not by importing again.
func TestDoctor_NewRendition(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := Import(ctx, f.store, f.lib, f.slug, goodPaths(), media.Options{}, nil); err != nil {
		t.Fatal(err)
	}
	medium, _ := media.RenditionNamed(media.Medium)
	shas, _, _ := f.lib.Stored(context.Background())
	for _, sha := range shas {
		if err := os.Remove(f.lib.Store().Location(media.RenditionKey(medium, sha))); err != nil {
			t.Fatal(err)
		}
	}
	var seen []Progress
	rep, err := Doctor(ctx, f.store, f.lib, DoctorOptions{Repair: true, Progress: func(p Progress) { seen = append(seen, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Problems) != len(shas) {
		t.Errorf("%d problems for %d photos without their medium size", len(rep.Problems), len(shas))
	}
	for _, p := range rep.Problems {
		if p.Kind != "missing-rendition" || !p.Repaired {
			t.Errorf("%+v", p)
		}
	}
	if len(seen) != len(shas) || seen[len(seen)-1].Done != len(shas) || seen[len(seen)-1].Total != len(shas) {
		t.Errorf("progress: %d reports for %d photos", len(seen), len(shas))
	}
	for _, sha := range shas {
		if _, err := os.Stat(f.lib.Store().Location(media.RenditionKey(medium, sha))); err != nil {
			t.Errorf("medium size not made: %v", err)
		}
	}
	if rep, _ := Doctor(ctx, f.store, f.lib, DoctorOptions{}); len(rep.Problems) != 0 {
		t.Errorf("after repair: %+v", rep.Problems)
	}
}

// After a resume, the photos already in the gallery go by in a moment:
// the time left counts only what took work.
func TestProgress_RemainingAfterAResume(t *testing.T) {
	t0 := time.Date(2026, 6, 20, 15, 0, 0, 0, time.UTC)
	// 300 of 400 done in 50 s, 250 of them skipped as already there: 50
	// imported at 1 a second, so 100 left take about 100 s.
	p := Progress{Summary: Summary{Existing: 250, Imported: 50}, Total: 400, Done: 300, Started: t0, Now: t0.Add(50 * time.Second)}
	if got, want := p.Remaining(), 100*time.Second; got != want {
		t.Errorf("Remaining() = %v, want %v", got, want)
	}
	// The rate shown beside it is of the same photos: 1 a second, not 6.
	if got, want := p.Rate(), 1.0; got != want {
		t.Errorf("Rate() = %v, want %v", got, want)
	}
	p = Progress{Summary: Summary{Existing: 10}, Total: 400, Done: 10, Started: t0, Now: t0.Add(time.Second)}
	if got := p.Remaining(); got != 0 {
		t.Errorf("Remaining() with nothing imported yet = %v, want 0 (unknown)", got)
	}
}
