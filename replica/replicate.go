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
)

// startTimeout bounds the first sync, so that a replica out of reach does
// not hold up the start; shutdownTimeout bounds the last one, so that it
// does not hold up the stop (what it could not ship stays in the data
// folder and goes at the next start).
const (
	startTimeout    = 5 * time.Second
	shutdownTimeout = 10 * time.Second
)

// Replicator streams one database to its target until closed.
type Replicator struct {
	target *Target
	store  *litestream.Store
	db     *litestream.DB
}

// ErrFresh is a replica that holds a database while the data folder has
// none: Pinhole would otherwise start an empty database and replicate it
// over the one that a restore should bring back.
var ErrFresh = errors.New("the replica holds a database but the data folder has none")

// CheckFresh refuses to start a new database at dbPath while target
// already holds one: that calls for a restore first. Run it before the
// database is created.
func CheckFresh(ctx context.Context, target *Target, dbPath string, logger *slog.Logger) error {
	if _, err := os.Stat(dbPath); err == nil {
		return nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("replicate: %w", err)
	}
	c, err := target.client(ctx, logger)
	if err != nil {
		return err
	}
	latest, err := latestFile(ctx, c)
	if err != nil {
		return fmt.Errorf("replica %s: %w", target, target.fault(err))
	}
	if latest == nil {
		return nil
	}
	return fmt.Errorf("%w: %s was last written %s; run `pinhole restore %s` first, or replicate elsewhere",
		ErrFresh, target, latest.CreatedAt.Local().Format("2006-01-02 15:04:05"), target)
}

// Start replicates the database at dbPath (which must exist) to target
// in the background. Litestream keeps its own state in a folder beside
// the database (.pinhole.db-litestream). Close stops it.
func Start(ctx context.Context, target *Target, dbPath string, logger *slog.Logger) (*Replicator, error) {
	if _, err := os.Stat(dbPath); err != nil {
		return nil, fmt.Errorf("replicate: %w", err)
	}
	logger = logger.With("replica", target.URL)
	c, err := target.client(ctx, logger)
	if err != nil {
		return nil, err
	}
	db := litestream.NewDB(dbPath)
	db.MonitorInterval = monitorInterval
	db.Replica = litestream.NewReplicaWithClient(db, c)
	db.Replica.SyncInterval = syncInterval
	store := litestream.NewStore([]*litestream.DB{db}, litestream.DefaultCompactionLevels)
	store.SnapshotInterval = snapshotInterval
	store.SnapshotRetention = snapshotRetention
	store.Logger = logger
	store.SetShutdownSyncTimeout(shutdownTimeout)
	db.SetLogger(logger.With("db", filepath.Base(dbPath)))
	if err := store.Open(ctx); err != nil {
		store.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("replicate to %s: %w", target, err)
	}
	// Litestream reads the database on its first sync, which its monitor
	// runs a second later; until then Close would ship nothing. That sync
	// asks the replica where it stands: while it cannot be reached Pinhole
	// runs all the same, and Litestream tries again every second.
	sctx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	if err := db.Sync(sctx); err != nil {
		logger.Warn("the replica cannot be reached yet; changes wait in the data folder and are shipped once it can", "err", err)
	}
	return &Replicator{target: target, store: store, db: db}, nil
}

// Sync ships every commit made so far and waits until the replica has it.
func (r *Replicator) Sync(ctx context.Context) error {
	if err := r.db.SyncAndWait(ctx); err != nil {
		return fmt.Errorf("replicate to %s: %w", r.target, err)
	}
	return nil
}

// Close ships what is left (trying for up to 10 seconds while the
// replica is unreachable) and stops.
func (r *Replicator) Close(ctx context.Context) error {
	if err := r.store.Close(ctx); err != nil {
		return fmt.Errorf("replicate to %s: %w", r.target, err)
	}
	return nil
}
