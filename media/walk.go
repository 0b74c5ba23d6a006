package media

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// sidecarExts are files that travel beside photos but are not photos.
var sidecarExts = map[string]bool{
	".xmp": true, ".thm": true, ".aae": true, ".json": true, ".txt": true,
	".xml": true, ".pp3": true, ".dop": true, ".on1": true, ".lrv": true,
	".ini": true, ".db": true, ".md": true, ".csv": true, ".tsv": true,
	".pto": true, ".cos": true, ".acr": true, ".exv": true,
}

// IsSidecar reports whether name looks like a sidecar file (.xmp, .thm,
// .aae, .json, .txt, …) that a folder walk skips.
func IsSidecar(name string) bool {
	return sidecarExts[strings.ToLower(filepath.Ext(name))]
}

// Walk expands paths into the files to import, in a deterministic order:
// each argument in turn, a folder's files in lexical order, recursively. A
// folder walk skips hidden files and folders (names starting with ".") and
// sidecars; a file named explicitly is always included. Duplicates are
// dropped. A path that does not exist is an error.
func Walk(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		fi, err := os.Stat(root)
		if err != nil {
			// The path as typed and what is wrong with it, without "stat".
			var pe *fs.PathError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("%s: %w", root, pe.Err)
			}
			return nil, fmt.Errorf("%s: %w", root, err)
		}
		if !fi.IsDir() {
			add(filepath.Clean(root))
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || IsSidecar(d.Name()) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			} else if !d.Type().IsRegular() {
				return nil
			}
			add(p)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walk: %w", err)
		}
	}
	return out, nil
}
