package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"syscall"
)

// Folder is a [Store] in a folder of this machine: each key is a file
// under its root, written to a temporary name in the same folder, synced
// and renamed into place. Its objects are *os.File.
type Folder struct {
	root string
}

// NewFolder opens (creating if needed) the folder store rooted at root.
func NewFolder(root string) (*Folder, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("open photo folder: %w", err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, fmt.Errorf("open photo folder: %w", err)
	}
	return &Folder{root: abs}, nil
}

// Root is the folder's absolute path.
func (f *Folder) Root() string { return f.root }

// path is where key's file is.
func (f *Folder) path(key string) string {
	return filepath.Join(f.root, filepath.FromSlash(key))
}

// Open opens key's file with one system call (see openFile).
func (f *Folder) Open(_ context.Context, key string) (Object, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	file, err := openFile(f.path(key))
	if err != nil {
		return nil, notExist(err)
	}
	return file, nil
}

// Stat describes key's file; anything but a regular file is an error.
func (f *Folder) Stat(_ context.Context, key string) (ObjectInfo, error) {
	if err := CheckKey(key); err != nil {
		return ObjectInfo{}, err
	}
	fi, err := os.Stat(f.path(key))
	if err != nil {
		return ObjectInfo{}, notExist(err)
	}
	if !fi.Mode().IsRegular() {
		return ObjectInfo{}, fmt.Errorf("%s is not a regular file: %w", f.path(key), fs.ErrNotExist)
	}
	return ObjectInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// Put writes r to a temporary file beside key's, syncs it and renames it
// into place, then syncs the folder.
func (f *Folder) Put(ctx context.Context, key string, r io.Reader) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	final := f.path(key)
	tmp, err := createTemp(filepath.Dir(final))
	if err != nil {
		return fmt.Errorf("put %s: %w", key, err)
	}
	_, err = io.Copy(tmp, ctxReader{ctx, r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = f.commit(tmp.Name(), final)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("put %s: %w", key, err)
	}
	return syncDir(filepath.Dir(final))
}

// commit renames tmp to final, making final's folder if a Delete pruned
// it meanwhile.
func (f *Folder) commit(tmp, final string) error {
	var err error
	for range 3 {
		if err = os.MkdirAll(filepath.Dir(final), 0o755); err != nil {
			return err
		}
		if err = os.Rename(tmp, final); !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return err
}

// Delete removes key's file, then the folders it leaves empty (a bucket
// has no folders either), up to the root.
func (f *Folder) Delete(_ context.Context, key string) error {
	if err := CheckKey(key); err != nil {
		return err
	}
	p := f.path(key)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete %s: %w", key, err)
	}
	for dir := filepath.Dir(p); dir != f.root && strings.HasPrefix(dir, f.root); dir = filepath.Dir(dir) {
		if os.Remove(dir) != nil {
			break // not empty (or gone)
		}
	}
	return nil
}

// List walks the folder under prefix. Temporary files left by a crash
// are listed too (their names start with ".tmp-"): they are strays.
func (f *Folder) List(ctx context.Context, prefix string) iter.Seq2[ObjectInfo, error] {
	return func(yield func(ObjectInfo, error) bool) {
		start := prefix
		if !strings.HasSuffix(start, "/") {
			start = path.Dir(start)
		}
		start = strings.TrimSuffix(start, "/")
		if start == "" || start == "." {
			start = "."
		} else if err := CheckKey(start); err != nil {
			yield(ObjectInfo{}, err)
			return
		}
		err := filepath.WalkDir(f.path(start), func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					return nil // nothing under prefix; or removed meanwhile
				}
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
			rel, err := filepath.Rel(f.root, p)
			if err != nil {
				return err
			}
			key := filepath.ToSlash(rel)
			if de.IsDir() {
				if key != "." && !strings.HasPrefix(key+"/", prefix) && !strings.HasPrefix(prefix, key+"/") {
					return filepath.SkipDir
				}
				return nil
			}
			if !strings.HasPrefix(key, prefix) {
				return nil
			}
			fi, err := de.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			if !yield(ObjectInfo{Key: key, Size: fi.Size(), ModTime: fi.ModTime()}, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && err != errStop {
			yield(ObjectInfo{}, fmt.Errorf("list %s: %w", f.Location(prefix), err))
		}
	}
}

var errStop = errors.New("stop")

// Location is key's path.
func (f *Folder) Location(key string) string { return f.path(key) }

// URL is file:// and the root.
func (f *Folder) URL() string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(f.root)}).String()
}

// notExist makes a path that runs through a file (ENOTDIR) what it is
// for a key: nothing there.
func notExist(err error) error {
	if errors.Is(err, syscall.ENOTDIR) {
		return fmt.Errorf("%w (%w)", err, fs.ErrNotExist)
	}
	return err
}
