package sshd

import (
	"net"
	"sync"
	"time"
)

// connLimiter caps the connections open at once and how fast one address
// may open new ones (a token bucket per address: burst connections at once,
// then one every interval).
type connLimiter struct {
	max      int
	burst    int
	interval time.Duration
	now      func() time.Time

	mu      sync.Mutex
	open    int
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
}

func newConnLimiter(max, burst int, interval time.Duration) *connLimiter {
	return &connLimiter{max: max, burst: burst, interval: interval, now: time.Now, buckets: map[string]*bucket{}}
}

// errLimit says why a connection was turned away.
type errLimit string

func (e errLimit) Error() string { return string(e) }

const (
	errTooMany  errLimit = "too many sessions open"
	errTooFast  errLimit = "too many connections from this address, slow down"
	bucketsKept          = 10000
)

// acquire admits a connection from addr, or says why not. release must be
// called once for every admitted connection.
func (l *connLimiter) acquire(addr net.Addr) error {
	host := addr.String()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	var b *bucket
	if l.burst > 0 && l.interval > 0 {
		b = l.buckets[host]
		if b == nil {
			if len(l.buckets) >= bucketsKept {
				l.prune(now)
			}
			b = &bucket{tokens: float64(l.burst), at: now}
			l.buckets[host] = b
		}
		b.tokens = min(float64(l.burst), b.tokens+float64(now.Sub(b.at))/float64(l.interval))
		b.at = now
		if b.tokens < 1 {
			return errTooFast
		}
	}
	if l.max > 0 && l.open >= l.max {
		return errTooMany
	}
	if b != nil {
		b.tokens--
	}
	l.open++
	return nil
}

func (l *connLimiter) release() {
	l.mu.Lock()
	l.open--
	l.mu.Unlock()
}

// prune forgets full buckets (addresses quiet long enough to be refilled),
// and everything if that is not enough.
func (l *connLimiter) prune(now time.Time) {
	full := time.Duration(l.burst) * l.interval
	for k, b := range l.buckets {
		if now.Sub(b.at) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= bucketsKept {
		clear(l.buckets)
	}
}

// limitedConn releases its place in the limiter once, on Close.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
