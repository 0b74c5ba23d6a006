package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
)

// openReadOnly opens the database at path for reading only, without
// migrating it: it writes nothing, so it may look at a database of a
// running Pinhole or one it may not change.
func openReadOnly(path string) (*sql.DB, error) {
	q := "?mode=ro&_pragma=busy_timeout(10000)"
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		// Without a WAL the file holds everything; immutable keeps SQLite
		// from creating -wal and -shm files beside a database we may not touch.
		q += "&immutable=1"
	}
	return sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+q)
}

// Pages calls fn with each page of the database at path as it is now,
// the commits still in its WAL included, in order from page 1, all read
// in one read transaction. It writes nothing.
func Pages(ctx context.Context, path string, fn func(pgno uint32, data []byte) error) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("read pages: %w", err)
	}
	ro, err := openReadOnly(path)
	if err != nil {
		return fmt.Errorf("read pages of %s: %w", path, err)
	}
	defer ro.Close()
	// One statement is one read transaction: a commit made meanwhile is
	// not half seen. (No ORDER BY: SQLite would sort every page first.)
	rows, err := ro.QueryContext(ctx, "SELECT pgno, data FROM sqlite_dbpage")
	if err != nil {
		return fmt.Errorf("read pages of %s: %w", path, err)
	}
	defer rows.Close()
	var want uint32 = 1
	for rows.Next() {
		var pgno uint32
		var data []byte
		if err := rows.Scan(&pgno, &data); err != nil {
			return fmt.Errorf("read pages of %s: %w", path, err)
		}
		if pgno != want {
			return fmt.Errorf("read pages of %s: page %d came where %d was due", path, pgno, want)
		}
		want++
		if err := fn(pgno, data); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read pages of %s: %w", path, err)
	}
	return nil
}
