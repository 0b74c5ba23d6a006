package db

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// explainOpen adds the plain cause to an error from opening the database
// when its folder cannot be written: SQLite only says "disk I/O error
// (4874)" on a full disk and "unable to open database file (14)" on a
// read-only one. It tries what SQLite needs: a new file of 32 KiB (the
// size of the WAL index) beside the database, removed at once.
func explainOpen(path string, err error) error {
	dir := filepath.Dir(path)
	cerr := tryWrite(dir)
	switch {
	case cerr == nil:
		return err
	case errors.Is(cerr, syscall.ENOSPC), errors.Is(cerr, syscall.EDQUOT):
		return fmt.Errorf("the disk holding %s is full: free some space and try again (nothing was changed): %w", dir, err)
	case errors.Is(cerr, syscall.EROFS):
		return fmt.Errorf("the data folder %s is on a read-only file system: Pinhole needs to write there (nothing was changed): %w", dir, err)
	case errors.Is(cerr, os.ErrPermission):
		return fmt.Errorf("cannot write in the data folder %s (permission denied): %w", dir, err)
	}
	return err
}

// tryWrite writes and removes a file of 32 KiB in dir.
func tryWrite(dir string) error {
	f, err := os.CreateTemp(dir, ".pinhole-check-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, 32<<10))
	if serr := f.Sync(); err == nil {
		err = serr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// CheckSpace reports (as ErrFull) when the disk holding the database has
// no room left for a write: the website keeps serving what it reads, but
// saves nothing new until space is freed.
func (s *Store) CheckSpace() error {
	dir := filepath.Dir(s.path)
	err := tryWrite(dir)
	if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT) {
		return &kindError{fmt.Sprintf("the disk holding %s is full", dir), ErrFull}
	}
	if err != nil {
		return fmt.Errorf("check space in %s: %w", dir, err)
	}
	return nil
}
