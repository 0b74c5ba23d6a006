package server

import (
	"context"
	"fmt"
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
}

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

func pinKey(galleryID int64, addr string) string { return fmt.Sprintf("pin:%d:%s", galleryID, addr) }

func loginKey(addr string) string { return "login:" + addr }

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
