package db_test

import (
	"context"
	"testing"
	"time"

	"pinhole/db"
)

// TestPruneThrottle: records idle since before the cutoff go; recent ones
// stay, and so does an old one whose wait is not over.
func TestPruneThrottle(t *testing.T) {
	s, c := openStore(t)
	ctx := context.Background()
	week := 7 * 24 * time.Hour
	set := func(key string, failures int, until time.Time) {
		t.Helper()
		if err := s.SetThrottle(ctx, key, db.Throttle{Failures: failures, Until: until}); err != nil {
			t.Fatal(err)
		}
	}
	// Written eight days ago.
	set("pin:1:203.0.113.1", 3, t0)                      // free tries, no wait
	set("pin:1:203.0.113.2", 20, t0.Add(15*time.Minute)) // waited long ago
	set("pin:1:203.0.113.3", 20, t0.Add(9*24*time.Hour)) // still waiting (a wait set far ahead)
	c.Add(8 * 24 * time.Hour)
	// Written just now.
	set("pin:1:203.0.113.4", 2, c.Now())
	set("pin:1:203.0.113.5", 9, c.Now().Add(time.Minute))
	set("pin:1:203.0.113.6", 1, t0) // its wait is long over, but it is not idle

	n, err := s.PruneThrottle(ctx, c.Now().Add(-week))
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("pruned %d, want 2", n)
	}
	for key, want := range map[string]int{
		"pin:1:203.0.113.1": 0, "pin:1:203.0.113.2": 0,
		"pin:1:203.0.113.3": 20, "pin:1:203.0.113.4": 2, "pin:1:203.0.113.5": 9, "pin:1:203.0.113.6": 1,
	} {
		rec, err := s.Throttle(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Failures != want {
			t.Errorf("%s: %d failures, want %d", key, rec.Failures, want)
		}
	}
	// Again: nothing more to prune.
	if n, err := s.PruneThrottle(ctx, c.Now().Add(-week)); err != nil || n != 0 {
		t.Errorf("second prune: %d, %v", n, err)
	}
}
