// Package dbtest is what the tests of several packages share about the
// store: a settable clock and a real store in a test's temporary folder.
package dbtest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"pinhole/db"
)

// Clock is a settable time, safe for concurrent use. Its Now goes where a
// store or a server takes a clock.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock is a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Add moves the clock on by d.
func (c *Clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Open opens a new store, pinhole.db in a temporary folder of t, closed
// when the test ends; with a clock, the store reads its time from it.
func Open(t testing.TB, clock *Clock) *db.Store {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "pinhole.db"), clock)
}

// OpenAt opens (or creates) the store at path, closed when the test ends;
// with a clock, the store reads its time from it.
func OpenAt(t testing.TB, path string, clock *Clock) *db.Store {
	t.Helper()
	var opts []db.Option
	if clock != nil {
		opts = append(opts, db.WithClock(clock.Now))
	}
	s, err := db.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}
