package media_test

import (
	"bytes"
	"context"
	"io"
	"path/filepath"
	"slices"
	"testing"

	"pinhole/media"
	"pinhole/media/storetest"
)

// TestLibrary_anyStore: a library in a store that is not the folder (its
// files staged, then Put) holds, byte for byte, what the folder holds
// after the same import; Check, Repair, Stored and Remove work on it alike.
func TestLibrary_anyStore(t *testing.T) {
	ctx := context.Background()
	paths, err := filepath.Glob("../testdata/photos/*.jpg")
	if err != nil || len(paths) < 4 {
		t.Fatalf("test photos: %v %v", paths, err)
	}
	paths = paths[:4]
	folder, err := media.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	inner, err := media.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	other := media.New(storetest.Streamed(inner))
	var shas []string
	for _, l := range []*media.Library{folder, other} {
		l.AddAll(ctx, paths, media.Options{Workers: 2}, nil, func(p media.Photo, err error) {
			if err != nil {
				t.Fatal(err)
			}
			if l == other {
				shas = append(shas, p.SHA256)
			}
		})
	}
	slices.Sort(shas)
	shas = slices.Compact(shas)
	read := func(s media.Store, key string) []byte {
		o, err := s.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer o.Close()
		b, err := io.ReadAll(o)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, sha := range shas {
		for _, k := range media.Keys(sha) {
			if !bytes.Equal(read(folder.Store(), k), read(other.Store(), k)) {
				t.Errorf("%s differs between the folder and the other store", k)
			}
		}
	}
	stored, strays, err := other.Stored(ctx)
	if err != nil || !slices.Equal(stored, shas) || len(strays) != 0 {
		t.Fatalf("Stored = %v, %v, %v; want %v", stored, strays, err, shas)
	}
	// A lost thumbnail is reported and remade.
	thumb, _ := media.RenditionNamed(media.Thumbnail)
	key := media.RenditionKey(thumb, shas[0])
	want := read(other.Store(), key)
	if err := other.Store().Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if missing, err := other.Check(ctx, shas[0]); err != nil || !slices.Equal(missing, []string{key}) {
		t.Fatalf("Check = %v, %v; want %s", missing, err, key)
	}
	if err := other.Repair(ctx, shas[0]); err != nil {
		t.Fatal(err)
	}
	if got := read(other.Store(), key); len(got) == 0 || len(want) == 0 {
		t.Errorf("repaired thumbnail: %d bytes", len(got))
	}
	for _, sha := range shas {
		if err := other.Remove(ctx, sha); err != nil {
			t.Fatal(err)
		}
	}
	for info, err := range other.Store().List(ctx, "") {
		t.Errorf("left after Remove: %+v %v", info, err)
	}
}
