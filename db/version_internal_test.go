//go:build linux || darwin

package db

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneration_QuickLook: once the first look has run, commits by this
// store and by another one on the same file are seen from the WAL index
// header alone, with no further PRAGMA; and a look while nothing changed
// keeps the generation.
func TestGeneration_QuickLook(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "pinhole.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	gen := func() uint64 {
		t.Helper()
		g, err := s.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	title := "One"
	prev := gen()
	if s.changes.shm == nil {
		t.Fatal("the WAL index was not opened for quick looks")
	}
	pragmas := s.changes.pragmas
	for i, st := range []*Store{s, other, other, s} {
		if g := gen(); g != prev {
			t.Fatalf("step %d: no commit, yet the generation moved from %d to %d", i, prev, g)
		}
		if _, err := st.CreateGallery(ctx, GalleryInput{Title: &title}); err != nil {
			t.Fatal(err)
		}
		g := gen()
		if g == prev {
			t.Fatalf("step %d: a commit left the generation at %d", i, g)
		}
		prev = g
	}
	if n := s.changes.pragmas - pragmas; n != 0 {
		t.Errorf("%d PRAGMA looks after the first; want none", n)
	}
}

// BenchmarkGeneration: the price every gallery request pays.
func BenchmarkGeneration(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "pinhole.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := s.Generation(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestGeneration_OtherProcess: a commit by another process (this test
// binary run again, as the command line would be) moves the generation,
// seen from the WAL index header alone.
func TestGeneration_OtherProcess(t *testing.T) {
	ctx := context.Background()
	if path := os.Getenv("PINHOLE_TEST_COMMIT"); path != "" {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		title := "From another process"
		if _, err := s.CreateGallery(ctx, GalleryInput{Title: &title}); err != nil {
			t.Fatal(err)
		}
		return
	}
	path := filepath.Join(t.TempDir(), "pinhole.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	g0, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pragmas := s.changes.pragmas
	cmd := exec.Command(os.Args[0], "-test.run=^TestGeneration_OtherProcess$")
	cmd.Env = append(os.Environ(), "PINHOLE_TEST_COMMIT="+path)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the other process: %v\n%s", err, out)
	}
	g1, err := s.Generation(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if g1 == g0 {
		t.Fatal("another process's commit left the generation unchanged")
	}
	if n := s.changes.pragmas - pragmas; n != 0 {
		t.Errorf("%d PRAGMA looks; want the header alone", n)
	}
	if gs, err := s.Galleries(ctx); err != nil || len(gs) != 1 {
		t.Errorf("galleries after the other process: %v, %v", gs, err)
	}
}
