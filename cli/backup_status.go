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
	case st.Behind > 0:
		fmt.Fprintf(w, "here      behind: changes since %s are not in the replica yet (%d batches)\n", at(st.BehindSince), st.Behind)
	case st.UpToDate:
		fmt.Fprintln(w, "here      up to date: the replica holds the database exactly as it is now")
	default:
		fmt.Fprintln(w, "here      behind: the database has changes the replica does not have yet (made while nothing")
		fmt.Fprintln(w, "          replicated, or just now); they go at the next `pinhole serve --replicate` (or `pinhole --replicate`)")
	}
}
