package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"pinhole/replica"

	"github.com/spf13/pflag"
)

const replicateUsage = "stream the database to file:///FOLDER or s3://BUCKET/PREFIX while running (default $PINHOLE_REPLICATE)"

// ReplicaFlag is --replicate, of the commands that run Pinhole.
type ReplicaFlag struct {
	url string
	fs  *pflag.FlagSet
}

// Add declares the flag.
func (f *ReplicaFlag) Add(fs *pflag.FlagSet) {
	fs.StringVar(&f.url, "replicate", "", replicateUsage)
	f.fs = fs
}

// URL is the flag's value when it was given, else $PINHOLE_REPLICATE.
func (f *ReplicaFlag) URL(env *Env) string {
	if f.fs != nil && f.fs.Changed("replicate") {
		return f.url
	}
	return env.Getenv("PINHOLE_REPLICATE")
}

// Replicate opens the store and streams it to the replica at raw, when
// one is given, until the returned stop is called (which ships what is
// left). A new data folder is not started over a replica that holds a
// database: that database is restored first.
func Replicate(ctx context.Context, c *Env, raw string, logger *slog.Logger) (stop func(), err error) {
	if raw == "" {
		return func() {}, nil
	}
	target, err := replica.Parse(raw)
	if err != nil {
		return nil, usageError{msg: err.Error()}
	}
	path := filepath.Join(c.DataDir, "pinhole.db")
	if c.Store == nil {
		if err := replica.CheckFresh(ctx, target, path, logger); err != nil {
			return nil, err
		}
	}
	if _, err := c.OpenStore(ctx); err != nil {
		return nil, err
	}
	r, err := replica.Start(ctx, target, path, logger)
	if err != nil {
		return nil, err
	}
	logger.Info("replicating the database", "to", raw)
	return func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 15*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			logger.Error("the last changes may not have reached the replica", "err", err)
		}
	}, nil
}

// RestoreCommand is "pinhole restore": the database of an empty data
// folder rebuilt from its replica, on this machine.
type RestoreCommand struct {
	timestamp string
	force     bool
}

func (cmd *RestoreCommand) spec() spec {
	return spec{name: "restore", args: "URL [--timestamp TIME] [--force]",
		summary: "rebuild the database of an empty data folder from its replica (file:///FOLDER or s3://BUCKET/PREFIX)"}
}

func (cmd *RestoreCommand) flags(fs *pflag.FlagSet) {
	fs.StringVar(&cmd.timestamp, "timestamp", "", "the database as it was at this time (RFC 3339, e.g. 2026-06-01T14:30:00Z); default the latest")
	fs.BoolVar(&cmd.force, "force", false, "replace the data folder's database (stop Pinhole first)")
}

func (cmd *RestoreCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(1, "replica URL"); err != nil {
		return err
	}
	target, err := replica.Parse(c.args[0])
	if err != nil {
		return usageError{msg: err.Error()}
	}
	var opt replica.RestoreOptions
	if ts := cmd.timestamp; ts != "" {
		if opt.Timestamp, err = time.Parse(time.RFC3339, ts); err != nil {
			return usagef("--timestamp %q: give a time as 2026-06-01T14:30:00Z or 2026-06-01T16:30:00+02:00", ts)
		}
	}
	opt.Force = cmd.force
	path := filepath.Join(c.DataDir, "pinhole.db")
	// Litestream says some things on the default logger.
	logger := slog.New(slog.NewTextHandler(c.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	prev := slog.Default()
	slog.SetDefault(logger)
	defer slog.SetDefault(prev)
	done, err := replica.Restore(ctx, target, path, opt, logger)
	if err != nil {
		return err
	}
	// Open it as Pinhole does: the schema is checked, and migrated when
	// the replica came from an older Pinhole.
	s, err := c.OpenStore(ctx)
	if err != nil {
		return fmt.Errorf("the restored database: %w", err)
	}
	galleries, err := s.Galleries(ctx)
	if err != nil {
		return fmt.Errorf("the restored database: %w", err)
	}
	out := struct {
		Database  string    `json:"database"`
		TXID      string    `json:"txid"`
		At        time.Time `json:"replicated_at"`
		Galleries int       `json:"galleries"`
	}{path, done.TXID, done.At, len(galleries)}
	return c.output(out, func(w io.Writer) {
		n := fmt.Sprintf("%d galleries", len(galleries))
		if len(galleries) == 1 {
			n = "1 gallery"
		}
		fmt.Fprintf(w, "Restored %s as replicated at %s (%s).\n", path, done.At.Local().Format("2006-01-02 15:04:05"), n)
		fmt.Fprintln(w, "The photos are not in the replica: they are served from the photo storage, as before.")
	})
}

// BackupStatusCommand is "pinhole backup status": how far behind the
// database's replica is.
type BackupStatusCommand struct{}

func (cmd *BackupStatusCommand) spec() spec {
	return spec{name: "status", args: "[URL]",
		summary: "how far behind the replica (URL, default $PINHOLE_REPLICATE) is"}
}

func (cmd *BackupStatusCommand) flags(fs *pflag.FlagSet) {}

func (cmd *BackupStatusCommand) run(ctx context.Context, c *call) error {
	if len(c.args) > 1 {
		return usagef("unexpected argument %q", c.args[1])
	}
	raw := (&ReplicaFlag{}).URL(c.Env)
	if len(c.args) == 1 {
		raw = c.args[0]
	}
	if raw == "" {
		return usagef("missing replica URL (or set PINHOLE_REPLICATE)")
	}
	target, err := replica.Parse(raw)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	logger := slog.New(slog.NewTextHandler(c.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := replica.ReadStatus(ctx, target, filepath.Join(c.DataDir, "pinhole.db"), logger)
	if err != nil {
		return err
	}
	return c.output(st, func(w io.Writer) { printStatus(w, st, time.Now()) })
}

func printStatus(w io.Writer, st replica.Status, now time.Time) {
	at := func(t time.Time) string {
		return fmt.Sprintf("%s (%s ago)", t.Local().Format("2006-01-02 15:04:05"), now.Sub(t).Round(time.Second))
	}
	fmt.Fprintf(w, "replica   %s\n", st.Target)
	if st.LatestTXID == "" {
		fmt.Fprintln(w, "latest    nothing yet")
	} else {
		fmt.Fprintf(w, "latest    %s\n", at(st.LatestAt))
		fmt.Fprintf(w, "restores  back to %s\n", st.Oldest.Local().Format("2006-01-02 15:04:05"))
	}
	switch {
	case !st.Replicated:
		fmt.Fprintln(w, "here      this data folder has not replicated to it (serve --replicate URL)")
	case st.Behind == 0:
		fmt.Fprintln(w, "here      up to date: the replica has every change Pinhole has seen here")
	default:
		fmt.Fprintf(w, "here      behind: changes since %s are not in the replica yet (%d batches)\n", at(st.BehindSince), st.Behind)
	}
}
