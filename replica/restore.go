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

// Sentinel errors of a restore.
var (
	// ErrExists: the data folder already has a database.
	ErrExists = errors.New("the data folder already has a database")
	// ErrEmpty: the replica holds no database.
	ErrEmpty = errors.New("the replica holds no database")
	// ErrInUse: a running Pinhole has the database open.
	ErrInUse = errors.New("the database is in use")
	// ErrNoPoint: the replica holds nothing at the time asked for.
	ErrNoPoint = errors.New("the replica holds no copy of that time")
)

// RestoreOptions say what to restore.
type RestoreOptions struct {
	Timestamp time.Time // the state at this time; zero for the latest
	Force     bool      // replace a database already there
}

// Restored says what a restore brought back.
type Restored struct {
	TXID string    // the last transaction restored
	At   time.Time // when the replica received it
}

// Restore rebuilds the database at dbPath from target. It refuses when a
// database is there already, unless opt.Force; then the old database,
// its -wal and -shm files go. It refuses while another process (a running
// Pinhole) has the database open. The
// database is rebuilt beside it and renamed into place, and checked.
func Restore(ctx context.Context, target *Target, dbPath string, opt RestoreOptions, logger *slog.Logger) (Restored, error) {
	if inUse(dbPath) {
		return Restored{}, fmt.Errorf("%w: %s is open in a running Pinhole; stop it first", ErrInUse, dbPath)
	}
	if !opt.Force {
		for _, p := range []string{dbPath, dbPath + "-wal"} {
			if st, err := os.Stat(p); err == nil && st.Size() > 0 {
				return Restored{}, fmt.Errorf("%w (%s); to replace it, stop Pinhole and restore with --force", ErrExists, p)
			} else if err != nil && !errors.Is(err, os.ErrNotExist) {
				return Restored{}, err
			}
		}
	}
	c, err := target.client(ctx, logger)
	if err != nil {
		return Restored{}, err
	}
	r := litestream.NewReplicaWithClient(nil, c)
	first, last, err := r.TimeBounds(ctx)
	if err != nil {
		return Restored{}, fmt.Errorf("restore from %s: %w", target, target.fault(err))
	}
	if last.IsZero() {
		return Restored{}, fmt.Errorf("restore from %s: %w", target, ErrEmpty)
	}
	// After the last copy the database is as that copy left it (the
	// replica's times may be rounded down to the second); a time still to
	// come is a mistake.
	if ts := opt.Timestamp; !ts.IsZero() && (ts.Before(first) || ts.After(time.Now())) {
		return Restored{}, fmt.Errorf("restore from %s: %w: it holds %s to %s", target, ErrNoPoint,
			first.Local().Format(time.RFC3339), last.Local().Format(time.RFC3339))
	}
	plan, err := litestream.CalcRestorePlan(ctx, c, 0, opt.Timestamp, r.Logger())
	if errors.Is(err, litestream.ErrTxNotAvailable) {
		return Restored{}, fmt.Errorf("restore from %s: %w", target, ErrNoPoint)
	} else if err != nil {
		return Restored{}, fmt.Errorf("restore from %s: %w", target, target.fault(err))
	}
	end := plan[len(plan)-1]
	done := Restored{TXID: end.MaxTXID.String(), At: end.CreatedAt}

	if err := os.MkdirAll(filepath.Dir(dbPath), 0o700); err != nil {
		return Restored{}, err
	}
	tmp := dbPath + ".restoring"
	for _, p := range []string{tmp, tmp + ".tmp"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return Restored{}, err
		}
	}
	lopt := litestream.NewRestoreOptions()
	lopt.OutputPath = tmp
	lopt.Timestamp = opt.Timestamp
	lopt.TXID = end.MaxTXID
	if !opt.Timestamp.IsZero() {
		lopt.TXID = 0 // Litestream takes one or the other
	}
	lopt.IntegrityCheck = litestream.IntegrityCheckQuick
	if err := r.Restore(ctx, lopt); err != nil {
		os.Remove(tmp)
		return Restored{}, fmt.Errorf("restore from %s: %w", target, target.fault(err))
	}
	// The old database's WAL must go before the new file takes its name:
	// SQLite would otherwise replay the old frames onto the new pages.
	// Litestream's local state belongs to the old database too.
	for _, p := range []string{dbPath + "-wal", dbPath + "-shm", metaDir(dbPath)} {
		if err := os.RemoveAll(p); err != nil {
			os.Remove(tmp)
			return Restored{}, err
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		os.Remove(tmp)
		return Restored{}, err
	}
	if d, err := os.Open(filepath.Dir(dbPath)); err == nil {
		d.Sync()
		d.Close()
	}
	return done, nil
}

// metaDir is where Litestream keeps its state for the database at dbPath.
func metaDir(dbPath string) string {
	dir, name := filepath.Split(dbPath)
	return filepath.Join(dir, "."+name+litestream.MetaDirSuffix)
}

// latestFile is the replica's newest file over all levels, nil when it
// holds none.
func latestFile(ctx context.Context, c litestream.ReplicaClient) (*ltx.FileInfo, error) {
	r := litestream.NewReplicaWithClient(nil, c)
	var latest *ltx.FileInfo
	for level := 0; level <= litestream.SnapshotLevel; level++ {
		info, err := r.MaxLTXFileInfo(ctx, level)
		if err != nil {
			return nil, err
		}
		if info.MaxTXID != 0 && (latest == nil || info.MaxTXID > latest.MaxTXID) {
			latest = &info
		}
	}
	return latest, nil
}
