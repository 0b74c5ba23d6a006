package db_test

import (
	"context"
	"sync"
	"testing"

	"pinhole/db"
)

// TestStore_Generation: the generation stays put while nothing is
// committed, and moves after a commit by this store or by another one on
// the same file (as another process would), also for callers arriving
// together.
func TestStore_Generation(t *testing.T) {
	ctx := context.Background()
	s, _ := openStore(t)
	gen := func() uint64 {
		t.Helper()
		g, err := s.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	g0 := gen()
	if g := gen(); g != g0 {
		t.Fatalf("no commit: generation %d, then %d", g0, g)
	}
	if _, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("One")}); err != nil {
		t.Fatal(err)
	}
	g1 := gen()
	if g1 == g0 {
		t.Fatal("a commit by this store left the generation unchanged")
	}
	other, err := db.Open(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.CreateGallery(ctx, db.GalleryInput{Title: new("Two")}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	gens := make([]uint64, 16)
	for i := range gens {
		wg.Go(func() {
			g, err := s.Generation(ctx)
			if err != nil {
				t.Error(err)
			}
			gens[i] = g
		})
	}
	wg.Wait()
	for _, g := range gens {
		if g == g1 {
			t.Fatal("a commit by another store left the generation unchanged")
		}
	}
}
