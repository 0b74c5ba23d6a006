package db

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// Throttle is the wrong-secret record of one key (address and gallery).
type Throttle struct {
	Failures int
	Until    time.Time // no try before this
}

// Throttle reads a key's record; unknown keys have none.
func (s *Store) Throttle(ctx context.Context, key string) (Throttle, error) {
	var t Throttle
	var until int64
	err := s.r.QueryRowContext(ctx, "SELECT failures, until FROM throttle WHERE key = ?", key).Scan(&t.Failures, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return Throttle{}, nil
	}
	t.Until = time.UnixMilli(until)
	return t, wrap("throttle", err)
}

// SetThrottle stores a key's record.
func (s *Store) SetThrottle(ctx context.Context, key string, t Throttle) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO throttle (key, failures, until, updated) VALUES (?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, until = excluded.until, updated = excluded.updated`,
		key, t.Failures, t.Until.UnixMilli(), s.Now().Unix())
	return wrap("throttle", err)
}

// ClearThrottle forgets a key after a right secret.
func (s *Store) ClearThrottle(ctx context.Context, key string) error {
	_, err := s.w.ExecContext(ctx, "DELETE FROM throttle WHERE key = ?", key)
	return wrap("throttle", err)
}

// PruneThrottle deletes the records last written before before whose wait
// also ended before it, and says how many went. Without it a guesser who
// gives up leaves a row forever, and many addresses make many rows. A
// record whose wait has not ended is kept whatever its age.
func (s *Store) PruneThrottle(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.w.ExecContext(ctx, "DELETE FROM throttle WHERE updated < ? AND until < ?",
		before.Unix(), before.UnixMilli())
	if err != nil {
		return 0, wrap("prune throttle", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
