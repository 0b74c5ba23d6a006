package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"pinhole/replica"
)

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
