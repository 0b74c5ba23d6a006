// Package db is Pinhole's SQLite store: schema migrations, domain types and
// typed queries. It is the only package that speaks SQL.
package db

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors; callers test them with errors.Is.
var (
	ErrNotFound = errors.New("not found")
	ErrConflict = errors.New("already exists")
	ErrInvalid  = errors.New("invalid")
	ErrTooNew   = errors.New("database was written by a newer Pinhole")
	// ErrFull: the disk holding the database has no room for a write.
	ErrFull = errors.New("the disk is full")

	// ErrNoGallery and ErrNoAdminKey say which thing was not found, for a
	// caller that knows where to look (a command line adds the command
	// that lists them); both are ErrNotFound too.
	ErrNoGallery  = fmt.Errorf("no such gallery: %w", ErrNotFound)
	ErrNoAdminKey = fmt.Errorf("no such admin key: %w", ErrNotFound)
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is the database. Writes go through a single connection so that
// SQLite never sees two writers; reads use a pool beside it.
type Store struct {
	w, r    *sql.DB
	path    string
	stmts   sync.Map // query → *sql.Stmt on the read pool
	changes changes  // commits seen in the WAL index, or by PRAGMA data_version
	now     func() time.Time
}

// Option changes how Open sets up a Store.
type Option func(*Store)

// WithClock makes the store read the time from now instead of time.Now:
// tests fix the time so that expiry and ordering do not follow the wall clock.
func WithClock(now func() time.Time) Option {
	return func(s *Store) { s.now = now }
}

// Now is the store's time: what it writes as "now" and what expiry is
// measured against.
func (s *Store) Now() time.Time { return s.now() }

// Open creates (if needed) and opens the database at path, then migrates it.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	migs, err := migrations()
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	// Look before touching: a newer schema must stay exactly as it is.
	if _, err := os.Stat(path); err == nil {
		v, err := readVersion(ctx, path)
		if err != nil {
			return nil, fmt.Errorf("open db %s: %w", path, explainOpen(path, err))
		}
		if v > len(migs) {
			return nil, fmt.Errorf("open db %s: schema version %d, this Pinhole knows up to %d: %w (upgrade pinhole)", path, v, len(migs), ErrTooNew)
		}
	}
	w, err := sql.Open(driverName, dsn(path, "_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("open db: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w, path: path, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil {
		w.Close()
		return nil, fmt.Errorf("open db %s: %w", path, explainOpen(path, err))
	}
	if !strings.EqualFold(mode, "wal") {
		w.Close()
		return nil, fmt.Errorf("open db %s: journal mode is %q, want wal", path, mode)
	}
	if err := s.migrate(ctx, migs); err != nil {
		w.Close()
		return nil, explainOpen(path, err)
	}
	r, err := sql.Open(driverName, dsn(path, "_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open db: %w", err)
	}
	r.SetMaxOpenConns(8)
	s.r = r
	s.changes.index = acquireWALIndex(path)
	return s, nil
}

// driverName is SQLite as a Store opens it: every connection keeps the
// -wal and -shm files when it is the last to close (after its checkpoint,
// so the database file alone still holds everything). Opening a WAL
// database needs its -shm file; making that file anew needs 32 KiB of
// disk, so without it Pinhole could not start again on a full disk.
const driverName = "pinhole-sqlite"

func init() {
	d := &sqlite.Driver{}
	d.RegisterConnectionHook(func(c sqlite.ExecQuerierContext, _ string) error {
		fc, ok := c.(sqlite.FileControl)
		if !ok {
			return errors.New("sqlite connection without file control")
		}
		if _, err := fc.FileControlPersistWAL("main", 1); err != nil {
			return fmt.Errorf("keep WAL: %w", err)
		}
		return nil
	})
	sql.Register(driverName, d)
}

func dsn(path string, extra string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(wal)")
	q.Add("_pragma", "synchronous(normal)")
	// A limit makes a store's last connection empty the -wal file it
	// keeps (see driverName) when it closes, after its checkpoint: no
	// stale frame stays beside the database. While running, the WAL is
	// cut back to it after a checkpoint.
	q.Add("_pragma", "journal_size_limit(67108864)")
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode() + "&" + extra
}

func readVersion(ctx context.Context, path string) (int, error) {
	ro, err := openReadOnly(path)
	if err != nil {
		return 0, err
	}
	defer ro.Close()
	var v int
	err = ro.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

// readRow runs a hot read query through a statement prepared once, so
// that SQLite does not parse it again on every web request.
func (s *Store) readRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt).QueryRowContext(ctx, args...)
	}
	st, err := s.r.PrepareContext(ctx, query)
	if err != nil {
		return s.r.QueryRowContext(ctx, query, args...) // reports the error
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		st = prev.(*sql.Stmt)
	}
	return st.QueryRowContext(ctx, args...)
}

// Close closes both pools.
func (s *Store) Close() error {
	s.stmts.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
	err := s.changes.shut()
	if s.r != nil {
		err = errors.Join(err, s.r.Close())
	}
	err = errors.Join(err, s.w.Close())
	// Last: closing the -shm file drops SQLite's locks on it.
	if s.changes.index != nil {
		s.changes.index.release()
		s.changes.index = nil
	}
	return err
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Version is the schema version recorded in the file.
func (s *Store) Version(ctx context.Context) (int, error) {
	var v int
	err := s.w.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	ents, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range ents {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must start with a number", e.Name())
		}
		b, err := migrationFiles.ReadFile("migrations/" + e.Name())
		if err != nil {
			return nil, err
		}
		out = append(out, migration{v, e.Name(), string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	for i, m := range out {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: want number %d", m.name, i+1)
		}
	}
	return out, nil
}

func (s *Store) migrate(ctx context.Context, migs []migration) error {
	cur, err := s.Version(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if cur > len(migs) {
		return fmt.Errorf("migrate: schema version %d, this Pinhole knows up to %d: %w", cur, len(migs), ErrTooNew)
	}
	// Foreign keys are off while a migration runs, as SQLite asks for
	// schema changes that rebuild a table (dropping the old table would
	// otherwise cascade into its children); they are checked before commit.
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	for _, m := range migs[cur:] {
		if err := migrateOne(ctx, conn, m); err != nil {
			return fmt.Errorf("migrate %s: %w", m.name, err)
		}
	}
	return nil
}

func migrateOne(ctx context.Context, conn *sql.Conn, m migration) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Look again under the write lock: another process opening the
	// same file may have run this migration meanwhile.
	var v int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v >= m.version {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return err
	}
	bad := rows.Next()
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return err
	}
	if bad {
		return errors.New("foreign keys do not hold after it")
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
		return err
	}
	return tx.Commit()
}

// tx runs fn in one write transaction.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// wrap turns SQLite's errors into ours, with context.
func wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var ke *kindError
	if errors.As(err, &ke) {
		return err // it already says what went wrong
	}
	if errors.Is(err, sql.ErrNoRows) {
		return notFoundf("%s: not found", what)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return conflictf("%s: already exists", what)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return notFoundf("%s: refers to something that does not exist", what)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return invalidf("%s: %v", what, err)
		case sqlite3.SQLITE_IOERR_SHMSIZE:
			// The WAL index could not grow, which only a full disk does.
			return &kindError{fmt.Sprintf("%s: the disk is full (%v)", what, err), ErrFull}
		}
		switch se.Code() & 0xff { // the primary code of an extended one
		case sqlite3.SQLITE_FULL:
			return &kindError{fmt.Sprintf("%s: the disk is full (%v)", what, err), ErrFull}
		case sqlite3.SQLITE_READONLY:
			return fmt.Errorf("%s: the database is read-only (is its folder on a read-only file system?): %w", what, err)
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

func unix(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func fromUnix(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0)
}

// kindError reads as its message alone but matches a sentinel with errors.Is.
type kindError struct {
	msg  string
	kind error
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }

func invalidf(format string, args ...any) error {
	return &kindError{fmt.Sprintf(format, args...), ErrInvalid}
}

// noGallery says that no gallery has the slug.
func noGallery(slug string) error {
	return &kindError{fmt.Sprintf("gallery %q not found", slug), ErrNoGallery}
}

func notFoundf(format string, args ...any) error {
	return &kindError{fmt.Sprintf(format, args...), ErrNotFound}
}

func conflictf(format string, args ...any) error {
	return &kindError{fmt.Sprintf(format, args...), ErrConflict}
}
