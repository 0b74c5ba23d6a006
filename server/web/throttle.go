package web

import (
	"context"
	"fmt"
	"hash/fnv"
	"net/netip"
	"sync"
	"time"

	"pinhole/db"
)

// Guessing secrets is throttled, never locked: per address and gallery the
// first FreeTries wrong tries cost nothing, then each further try must wait
// 1 s, 2 s, 4 s … up to MaxDelay after the previous one. A right secret
// clears the record. Records live in the database, so a restart forgets
// nothing.
const (
	FreeTries = 5
	MaxDelay  = 15 * time.Minute
)

// delayAfter is the wait imposed after the n-th wrong try in a row.
func delayAfter(failures int) time.Duration {
	if failures < FreeTries {
		return 0
	}
	shift := failures - FreeTries
	if shift >= 20 {
		return MaxDelay
	}
	return min(time.Second<<shift, MaxDelay)
}

// throttle applies the rule to keys ("pin:<gallery>:<address>").
type throttle struct {
	store *db.Store
	now   func() time.Time
	locks *keyLocks
}

// keyLocks make what is done under one key one step at a time, the
// throttle's check, try and record of a key among them. Without them a
// burst of parallel tries all read "no wait" before the first failure is
// written (and their failure counts overwrite each other), so a guesser
// gets as many PINs checked as requests in flight.
type keyLocks [64]sync.Mutex

// lock holds key's lock until the returned func is called.
func (l *keyLocks) lock(key string) (unlock func()) {
	h := fnv.New32a()
	h.Write([]byte(key))
	m := &l[h.Sum32()%uint32(len(l))]
	m.Lock()
	return m.Unlock
}

// throttle is the rule on the handler's store, clock and locks.
func (h *Handler) throttle() throttle {
	return throttle{store: h.store, now: h.now, locks: &h.throttleLocks}
}

// lock holds key's lock until the returned func is called.
func (t throttle) lock(key string) (unlock func()) { return t.locks.lock(key) }

// wait is how long the key must still wait before its next try (0: go ahead).
func (t throttle) wait(ctx context.Context, key string) (time.Duration, error) {
	rec, err := t.store.Throttle(ctx, key)
	if err != nil {
		return 0, err
	}
	if d := rec.Until.Sub(t.now()); d > 0 && rec.Failures >= FreeTries {
		return d, nil
	}
	return 0, nil
}

// fail records a wrong try and returns the wait before the next one.
func (t throttle) fail(ctx context.Context, key string) (time.Duration, error) {
	rec, err := t.store.Throttle(ctx, key)
	if err != nil {
		return 0, err
	}
	rec.Failures++
	d := delayAfter(rec.Failures)
	rec.Until = t.now().Add(d)
	if err := t.store.SetThrottle(ctx, key, rec); err != nil {
		return 0, err
	}
	return d, nil
}

// ok forgets a key's wrong tries after a right secret.
func (t throttle) ok(ctx context.Context, key string) error {
	return t.store.ClearThrottle(ctx, key)
}

// throttleIdle is how long a record is kept after its last wrong try (and
// its wait). The longest wait is MaxDelay, so a week-old record no longer
// holds anyone back: a guesser who waits a week for five free tries again
// gains nothing.
const throttleIdle = 7 * 24 * time.Hour

// PruneThrottle deletes idle throttle records at once and then every
// interval until ctx ends. A guesser who gives up leaves a record behind,
// and anyone can make records by trying from many addresses.
func (h *Handler) PruneThrottle(ctx context.Context, every time.Duration) error {
	repeat(ctx, every, func() {
		n, err := h.store.PruneThrottle(ctx, h.now().Add(-throttleIdle))
		if err != nil && ctx.Err() == nil {
			h.log.Warn("prune throttle records", "err", err)
		} else if n > 0 {
			h.log.Info("pruned throttle records", "count", n)
		}
	})
	return nil
}

func pinKey(galleryID int64, addr string) string {
	return fmt.Sprintf("pin:%d:%s", galleryID, throttleAddr(addr))
}

func loginKey(addr string) string { return "login:" + throttleAddr(addr) }

// throttleAddr is the address the throttle counts. An IPv6 address stands
// for its /64: one host or home is given a whole /64 and can pick a new
// address in it for every try.
func throttleAddr(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	ip = ip.Unmap()
	if !ip.Is6() {
		return ip.String()
	}
	p, err := ip.WithZone("").Prefix(64)
	if err != nil {
		return addr
	}
	return p.String()
}

// retryAfter rounds a wait up to whole seconds for Retry-After.
func retryAfter(d time.Duration) int {
	s := int((d + time.Second - 1) / time.Second)
	return max(s, 1)
}

// humanWait says a wait the way people do: "20 seconds", "3 minutes".
func humanWait(d time.Duration) string {
	s := retryAfter(d)
	switch {
	case s < 60:
		return plural(s, "second", "seconds")
	default:
		return plural((s+59)/60, "minute", "minutes")
	}
}
