package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// StorageMigrateCommand is "pinhole storage migrate --to URL": every photo
// file copied from the storage in use to another, verified, and the
// database switched to it when all is there.
type StorageMigrateCommand struct {
	to string
}

func (cmd *StorageMigrateCommand) spec() spec {
	return spec{name: "migrate", args: "--to URL",
		summary: "copy every photo file to another storage (file:///FOLDER or s3://BUCKET/PREFIX), then use it"}
}

func (cmd *StorageMigrateCommand) flags(fs *pflag.FlagSet) {
	fs.StringVar(&cmd.to, "to", "", "the storage to copy the photos to: file:///FOLDER or s3://BUCKET/PREFIX")
}

func (cmd *StorageMigrateCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	if cmd.to == "" {
		return usagef("say where to with --to URL (file:///FOLDER or s3://BUCKET/PREFIX)")
	}
	canonical, err := studio.StorageURL(c.DataDir, cmd.to)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	return withStore(ctx, c, func(s *db.Store) error {
		from, err := studio.OpenStorage(ctx, s, c.DataDir, "")
		if err != nil {
			return err
		}
		to, err := studio.OpenStorageURL(ctx, c.DataDir, canonical)
		if err != nil {
			return err
		}
		bar := c.Terminal && !c.json
		var last time.Time
		progress := func(p studio.Progress) {
			if bar && (time.Since(last) > 100*time.Millisecond || p.Done == p.Total) {
				last = time.Now()
				fmt.Fprintf(c.Stdout, "\r\x1b[KCopying %s", progressLine(p, 30))
			}
		}
		rep, err := studio.MigrateStorage(ctx, s, from, to, canonical, filepath.Join(c.DataDir, studio.MigrateJournal), progress)
		if bar {
			fmt.Fprint(c.Stdout, "\r\x1b[K")
		}
		if err != nil {
			return err
		}
		return c.output(rep, func(w io.Writer) {
			fmt.Fprintf(w, "Copied %d photo files (%s) to %s", rep.Copied, studio.SizeText(rep.Bytes), rep.To)
			if rep.Verified > 0 {
				fmt.Fprintf(w, "; %d were already there from an earlier run", rep.Verified)
			}
			fmt.Fprintln(w, ".")
			for _, m := range rep.Missing {
				fmt.Fprintf(w, "  missing at the source: %s\n", studio.PrintableName(m))
			}
			if len(rep.Missing) > 0 {
				fmt.Fprintln(w, "Run pinhole doctor to see what the missing files were.")
			}
			fmt.Fprintf(w, "The photos are now in %s. The old copy in %s is left as it was: remove it when you no longer need it.\n", rep.To, rep.From)
		})
	})
}
