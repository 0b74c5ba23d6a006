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
// dropped. A path that does not exist is an error. A folder below one
// named that cannot be read is left out and returned in unreadable, with
// its reason, so that an import goes on with the rest and reports it.
func Walk(paths []string) (files []string, unreadable []*fs.PathError, err error) {
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
			return nil, nil, asTyped(root, err)
		}
		if !fi.IsDir() {
			add(filepath.Clean(root))
			continue
		}
		err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				var pe *fs.PathError
				if p != root && d != nil && d.IsDir() && errors.As(err, &pe) {
					unreadable = append(unreadable, &fs.PathError{Op: "read folder", Path: p, Err: pe.Err})
					return filepath.SkipDir
				}
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
			return nil, nil, asTyped(root, err)
		}
	}
	return out, unreadable, nil
}

// asTyped is a path's error with the path as typed and what is wrong with
// it, without the system call ("stat", "open") or the path twice.
func asTyped(root string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", root, pe.Err)
	}
	return fmt.Errorf("%s: %w", root, err)
}
