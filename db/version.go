package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"sync"
	"time"
)

// changes watches the database for commits. Its first way is to read the
// WAL index header from the -shm file: SQLite rewrites that header on
// every commit, by any connection of any process (its iChange counter
// moves), and readers of every SQLite version rely on its layout, so it is
// a stable signal. Reading it from a mapping costs a few loads. When the
// header cannot be read whole, it falls back on SQLite's PRAGMA
// data_version on a connection of its own, which never writes: the value
// it reads moves whenever any other connection — ours or another
// process's, such as the command line — has committed since the last look.
type changes struct {
	mu      sync.Mutex // guards next, looking, and the quick look
	next    *look      // the look that starts when the running one ends
	looking bool
	closed  bool

	// Owned by the one look running, or by the quick look under mu while
	// no look runs.
	db      *sql.DB
	conn    *sql.Conn
	stmt    driver.Stmt // prepared on conn's driver connection, used only in conn.Raw
	last    int64       // data_version last read on conn
	index   *walIndex   // the database's -shm file, shared in the process
	shm     *walIndex   // index, once mapped
	hdr     [walHdrSize]byte
	gen     uint64 // counts the changes seen; 0 means never looked
	pragmas int    // looks that ran the PRAGMA (tests read it)
}

// walHdrSize is the size of one copy of the WAL index header. The -shm
// file starts with two copies; a writer updates the second, then the
// first, so a reader that finds them equal has a header that is whole.
const walHdrSize = 48

// quick is the look without the PRAGMA: one read of the WAL index
// header. ok is false when the slow look must run instead.
func (c *changes) quick() (gen uint64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.looking || c.closed || c.shm == nil { // shm belongs to a running look
		return 0, false
	}
	var hdr [walHdrSize]byte
	if !c.shm.header(&hdr) {
		return 0, false
	}
	c.see(hdr)
	return c.gen, true
}

// see counts a change when the header is not the one seen last.
func (c *changes) see(hdr [walHdrSize]byte) {
	if hdr != c.hdr {
		c.hdr = hdr
		c.gen++
	}
}

// Generation returns a number that is the same as the one returned
// before if and only if nothing was committed to the database in between
// (by this process or any other). It costs a few loads from the mapped
// WAL index (a PRAGMA on a dedicated connection where that cannot be
// read), so a cache of reads can check it on every request and stay
// exact: equal generations mean the cached reads are still what the
// database holds.
//
// Callers that arrive together share one look, but never one that began
// before they called: a caller waits for the next look to start and end.
func (s *Store) Generation(ctx context.Context) (uint64, error) {
	c := &s.changes
	if gen, ok := c.quick(); ok {
		return gen, nil
	}
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return 0, errors.New("data version: the store is closed")
	}
	l := c.next
	if l == nil {
		l = &look{done: make(chan struct{})}
		c.next = l
	}
	if !c.looking {
		c.looking, c.next = true, nil
		c.mu.Unlock()
		c.run(l, s.path)
	} else {
		c.mu.Unlock()
	}
	select {
	case <-l.done:
		return l.gen, l.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// look is one PRAGMA data_version and the callers waiting for it.
type look struct {
	done chan struct{}
	gen  uint64
	err  error
}

// run does look l, then the looks callers queued meanwhile, each in turn
// (on a goroutine of its own, so that l's caller goes on at once).
func (c *changes) run(l *look, path string) {
	l.gen, l.err = c.look(path)
	close(l.done)
	c.mu.Lock()
	next := c.next
	c.next = nil
	c.looking = next != nil
	c.mu.Unlock()
	if next != nil {
		go c.run(next, path)
	}
}

// look reads data_version; only one runs at a time.
func (c *changes) look(path string) (uint64, error) {
	// Not the caller's context: the look is shared, and a cancellable
	// context costs a goroutine per query in the driver.
	ctx := context.Background()
	if c.conn == nil {
		if err := c.open(ctx, path); err != nil {
			return 0, err
		}
	}
	var v int64
	if err := c.conn.Raw(func(any) error { return c.read(ctx, &v) }); err != nil {
		// A fresh connection's numbers do not compare with the old
		// one's: start over, and count it as a change.
		c.close()
		return 0, fmt.Errorf("data version: %w", err)
	}
	c.pragmas++
	if v != c.last {
		c.last = v
		c.gen++
	}
	c.watchIndex()
	return c.gen, nil
}

// watchIndex maps the -shm file for quick looks, once the dedicated
// connection has it open, and reads its header now, so that quick looks
// count only commits after this one. When the header cannot be read,
// quick looks fail over to the PRAGMA until it can.
func (c *changes) watchIndex() {
	if c.shm == nil {
		if !c.index.open() {
			return
		}
		c.shm = c.index
	}
	var hdr [walHdrSize]byte
	if c.shm.header(&hdr) {
		c.see(hdr)
	}
}

// read runs the prepared PRAGMA on the driver's connection directly:
// database/sql's statement, rows and scan machinery cost as much again as
// the PRAGMA itself, which a request pays for on every call.
func (c *changes) read(ctx context.Context, v *int64) error {
	q, ok := c.stmt.(driver.StmtQueryContext)
	if !ok {
		return errors.New("the driver's statement cannot query")
	}
	rows, err := q.QueryContext(ctx, nil)
	if err != nil {
		return err
	}
	row := [1]driver.Value{}
	err = rows.Next(row[:])
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	n, ok := row[0].(int64)
	if !ok {
		return fmt.Errorf("data_version is %T", row[0])
	}
	*v = n
	return nil
}

func (c *changes) open(ctx context.Context, path string) error {
	if c.db == nil {
		d, err := sql.Open("sqlite", dsn(path, "_pragma=query_only(1)"))
		if err != nil {
			return fmt.Errorf("data version: %w", err)
		}
		d.SetMaxOpenConns(1)
		c.db = d
	}
	conn, err := c.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("data version: %w", err)
	}
	var st driver.Stmt
	err = conn.Raw(func(dc any) error {
		p, ok := dc.(driver.ConnPrepareContext)
		if !ok {
			return errors.New("the driver's connection cannot prepare")
		}
		var err error
		st, err = p.PrepareContext(ctx, "PRAGMA data_version")
		return err
	})
	if err != nil {
		conn.Close()
		return fmt.Errorf("data version: %w", err)
	}
	c.conn, c.stmt = conn, st
	c.last = 0
	c.gen++ // a new connection: whatever was cached before is suspect
	return nil
}

// shut waits for the running look, then closes the connection for good.
func (c *changes) shut() error {
	for {
		c.mu.Lock()
		if !c.looking {
			c.closed = true
			c.mu.Unlock()
			return c.close()
		}
		c.mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

func (c *changes) close() error {
	var err error
	if c.stmt != nil && c.conn != nil {
		err = c.conn.Raw(func(any) error { return c.stmt.Close() })
	}
	if c.conn != nil {
		err = errors.Join(err, c.conn.Close())
	}
	c.stmt, c.conn = nil, nil
	if c.db != nil {
		err = errors.Join(err, c.db.Close())
		c.db = nil
	}
	return err
}
