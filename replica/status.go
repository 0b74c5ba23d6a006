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

	"pinhole/db"
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
	// UpToDate: the replica's latest is the database exactly as it is
	// now. Unseen: it is not, though the replica has every batch made
	// here: the database has changes Litestream has not seen (made while
	// nothing replicated, or in the last second), which go at the next
	// start with --replicate, or within seconds while one runs.
	UpToDate bool `json:"up_to_date"`
	Unseen   bool `json:"unseen_changes"`
}

// ReadStatus compares the replica at target with what Litestream
// recorded beside the database at dbPath and, when the replica has all
// of that, with the database itself. It writes nothing beside the
// database, so it may run beside a running Pinhole.
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
	if !st.Replicated {
		return st, nil
	}
	st.LocalTXID = local.String()
	if st.Behind > 0 || latest == nil {
		return st, nil
	}
	// Litestream's files tell only what it has seen: a commit made while
	// nothing replicated is in none of them. (They carry no checksum of
	// the database to compare with either: Litestream writes them
	// without.) So the database is compared with the replica's latest,
	// page by page.
	here, n, err := checksum(ctx, dbPath)
	if err != nil {
		return st, fmt.Errorf("replica status: %w", err)
	}
	there, m, err := replicaChecksum(ctx, c, latest.MaxTXID)
	if err != nil {
		return st, fmt.Errorf("replica %s: %w", target, target.fault(err))
	}
	st.UpToDate = here == there && n == m
	st.Unseen = !st.UpToDate
	return st, nil
}

// replicaChecksum is the checksum of the replica's database at txid,
// restored into a temporary folder (nothing is written beside the
// database), and its number of pages.
func replicaChecksum(ctx context.Context, c litestream.ReplicaClient, txid ltx.TXID) (ltx.Checksum, uint32, error) {
	tmp, err := os.MkdirTemp("", "pinhole-status-")
	if err != nil {
		return 0, 0, fmt.Errorf("compare with the replica: %w", err)
	}
	defer os.RemoveAll(tmp)
	opt := litestream.NewRestoreOptions()
	opt.OutputPath = filepath.Join(tmp, "replica.db")
	opt.TXID = txid
	if err := litestream.NewReplicaWithClient(nil, c).Restore(ctx, opt); err != nil {
		return 0, 0, fmt.Errorf("compare with the replica: %w", err)
	}
	return checksum(ctx, opt.OutputPath)
}

// checksum is the LTX checksum of a whole database (its pages' checksums
// combined, the lock page left out as Litestream leaves it out) and its
// number of pages.
func checksum(ctx context.Context, path string) (ltx.Checksum, uint32, error) {
	sum, n := ltx.ChecksumFlag, uint32(0)
	err := db.Pages(ctx, path, func(pgno uint32, data []byte) error {
		n = pgno
		if pgno != ltx.LockPgno(uint32(len(data))) {
			sum = ltx.ChecksumFlag | (sum ^ ltx.ChecksumPage(pgno, data))
		}
		return nil
	})
	return sum, n, err
}
