package replica

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/benbjohnson/litestream"
	"github.com/superfly/ltx"
)

// Status is how far the replica is behind the database of a data folder.
type Status struct {
	Target string `json:"replica"`
	// The newest transaction in the replica, and when it got there; empty
	// when the replica holds nothing.
	LatestTXID string    `json:"latest_txid,omitempty"`
	LatestAt   time.Time `json:"latest_at,omitzero"`
	// The earliest time a restore can go back to.
	Oldest time.Time `json:"oldest_at,omitzero"`
	// Replicated marks a data folder that has replicated here; LocalTXID
	// is the newest that Litestream has seen here. (Litestream numbers
	// what it ships in batches: each sync, a second apart at most, takes
	// every commit made since the last one under one transaction ID.)
	Replicated bool   `json:"replicated_here"`
	LocalTXID  string `json:"local_txid,omitempty"`
	// Batches made here that the replica does not have yet, and when
	// the oldest of them was made.
	Behind      int       `json:"behind"`
	BehindSince time.Time `json:"behind_since,omitzero"`
}

// ReadStatus compares the replica at target with what Litestream
// recorded beside the database at dbPath.
func ReadStatus(ctx context.Context, target *Target, dbPath string, logger *slog.Logger) (Status, error) {
	st := Status{Target: target.URL}
	c, err := target.client(ctx, logger)
	if err != nil {
		return st, err
	}
	latest, err := latestFile(ctx, c)
	if err != nil {
		return st, fmt.Errorf("replica %s: %w", target, target.fault(err))
	}
	var remote ltx.TXID
	if latest != nil {
		remote = latest.MaxTXID
		st.LatestTXID, st.LatestAt = remote.String(), latest.CreatedAt
		if st.Oldest, _, err = litestream.NewReplicaWithClient(nil, c).TimeBounds(ctx); err != nil {
			return st, fmt.Errorf("replica %s: %w", target, target.fault(err))
		}
	}
	// Litestream writes each transaction it has seen as a file named by
	// its transaction IDs, until compaction prunes them.
	ents, err := os.ReadDir(filepath.Join(metaDir(dbPath), "ltx", "0"))
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	} else if err != nil {
		return st, fmt.Errorf("replica status: %w", err)
	}
	var local ltx.TXID
	for _, e := range ents {
		lo, hi, err := ltx.ParseFilename(e.Name())
		if err != nil {
			continue
		}
		st.Replicated = true
		local = max(local, hi)
		if hi <= remote {
			continue
		}
		st.Behind += int(hi - max(lo, remote+1) + 1)
		if info, err := e.Info(); err == nil && (st.BehindSince.IsZero() || info.ModTime().Before(st.BehindSince)) {
			st.BehindSince = info.ModTime()
		}
	}
	if st.Replicated {
		st.LocalTXID = local.String()
	}
	return st, nil
}
