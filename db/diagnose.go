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
	f, cerr := os.CreateTemp(dir, ".pinhole-check-*")
	if cerr == nil {
		_, cerr = f.Write(make([]byte, 32<<10))
		if serr := f.Sync(); cerr == nil {
			cerr = serr
		}
		f.Close()
		os.Remove(f.Name())
	}
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
