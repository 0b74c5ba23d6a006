package testio

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// DistinctPhotos writes n distinct photos into a new folder of t's, named
// IMG_0000.jpg and on, and returns the folder: each is the JPEG at src
// with its number after the end marker, which decoders ignore, so each
// has a content hash of its own.
func DistinctPhotos(t testing.TB, src string, n int) string {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i := range n {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("IMG_%04d.jpg", i)), append(slices.Clone(b), fmt.Sprint(i)...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
