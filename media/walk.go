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
// sidecars; a file named explicitly is always included, and a link to a
// folder named explicitly is walked as the folder. Duplicates are dropped.
// A path that does not exist is an error. What a walk leaves out that
// might have held photos is returned in leftOut, each with the reason in
// the user's words, so that an import goes on with the rest and reports
// it: a folder it cannot read, a link to a folder (not followed, which
// could loop), a link to nothing.
func Walk(paths []string) (files []string, leftOut []*fs.PathError, err error) {
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			files = append(files, p)
		}
	}
	leave := func(p, why string) {
		leftOut = append(leftOut, &fs.PathError{Op: "walk", Path: p, Err: errors.New(why)})
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
		// WalkDir does not follow a link, even the one it is given: with a
		// trailing separator the link resolves to its folder.
		top := root
		if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			top = root + string(filepath.Separator)
		}
		err = filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				var pe *fs.PathError
				if p != top && d != nil && d.IsDir() && errors.As(err, &pe) {
					leave(p, fmt.Sprintf("cannot read this folder (%v): its photos are left out", pe.Err))
					return filepath.SkipDir
				}
				return err
			}
			if p != top && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || IsSidecar(d.Name()) {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				fi, err := os.Stat(p)
				switch {
				case err != nil:
					leave(p, "a link to nothing (the file it names is not there)")
					return nil
				case fi.IsDir():
					leave(p, "a link to a folder, not followed: name it on the command line to import it")
					return nil
				case !fi.Mode().IsRegular():
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
	return files, leftOut, nil
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
