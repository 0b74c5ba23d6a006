package media_test

import (
	"os"
	"path/filepath"
	"testing"

	"pinhole/media"
	"pinhole/media/storetest"
)

func TestFolder(t *testing.T) {
	storetest.Run(t, func(t *testing.T) media.Store {
		f, err := media.NewFolder(filepath.Join(t.TempDir(), "photos"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			// Nothing is ever written outside the folder: no temporary
			// file is left in it either.
			filepath.WalkDir(filepath.Dir(f.Root()), func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && filepath.Dir(p) == filepath.Dir(f.Root()) {
					t.Errorf("file outside the folder: %s", p)
				}
				if err == nil && len(d.Name()) > 5 && d.Name()[:5] == ".tmp-" {
					t.Errorf("temporary file left: %s", p)
				}
				return nil
			})
		})
		return f
	})
}

// TestFolder_OpenIsFile: the folder's objects are files, which the
// website sends with sendfile and maps.
func TestFolder_OpenIsFile(t *testing.T) {
	f, err := media.NewFolder(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(f.Root(), "originals", "ab"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(f.Root(), "originals", "ab", "x"), []byte("x"), 0o644)
	o, err := f.Open(t.Context(), "originals/ab/x")
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	if _, ok := o.(*os.File); !ok {
		t.Errorf("Folder.Open returned %T, want *os.File", o)
	}
}

// TestStreamed: the contract holds for a folder whose objects are not
// files too (the general path that tests run with it).
func TestStreamed(t *testing.T) {
	storetest.Run(t, func(t *testing.T) media.Store {
		f, err := media.NewFolder(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return storetest.Streamed(f)
	})
}
