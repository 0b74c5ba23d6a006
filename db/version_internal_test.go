//go:build linux || darwin

package db

import (
	"context"
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
