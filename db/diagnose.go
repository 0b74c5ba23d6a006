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
	if cerr := checkWritable(filepath.Dir(path)); cerr != nil {
		return fmt.Errorf("%w (nothing was changed): %w", cerr, err)
	}
	return err
}

// checkWritable says in plain words why dir cannot be written, or nil.
func checkWritable(dir string) error {
	err := tryWrite(dir)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return &kindError{fmt.Sprintf("the disk holding %s is full: free some space and try again", dir), ErrFull}
	case errors.Is(err, syscall.EROFS):
		return fmt.Errorf("the data folder %s is on a read-only file system: Pinhole needs to write there", dir)
	case errors.Is(err, os.ErrPermission):
		return fmt.Errorf("cannot write in the data folder %s (permission denied)", dir)
	}
	return fmt.Errorf("cannot write in the data folder %s: %w", dir, err)
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

// CheckWritable says why the database's folder cannot be written now (a
// full disk is ErrFull), or nil. On a full disk the website keeps serving
// what it reads, but saves nothing new until space is freed.
func (s *Store) CheckWritable() error { return checkWritable(filepath.Dir(s.path)) }
