package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// ImportCommand is "pinhole import": import photos (files and folders) into a gallery.
type ImportCommand struct {
	maxPixels int64
	workers   int
}

func (cmd *ImportCommand) spec() spec {
	return spec{name: "import", args: "SLUG PATH... [--max-pixels N] [--workers N]",
		summary: "import photos (files and folders) into a gallery", complete: slugThenFiles}
}

func (cmd *ImportCommand) flags(fs *pflag.FlagSet) {
	fs.Int64Var(&cmd.maxPixels, "max-pixels", media.DefaultMaxPixels, "refuse images with more pixels than this")
	fs.IntVar(&cmd.workers, "workers", 0, "photos processed at once (default: one per CPU core)")
}

func (cmd *ImportCommand) run(ctx context.Context, c *call) error {
	if err := c.needArgs(2, "SLUG and at least one PATH"); err != nil {
		return err
	}
	return withFiles(ctx, c, func(s *db.Store, lib *media.Library) error {
		bar := c.Terminal && !c.json
		var last time.Time
		progress := func(p studio.Progress) {
			switch {
			case c.json:
			case bar:
				if time.Since(last) > 100*time.Millisecond || p.Done == p.Total {
					last = time.Now()
					fmt.Fprintf(c.Stdout, "\r\x1b[K%s", progressLine(p, 30))
				}
			default:
				fmt.Fprintln(c.Stdout, fileLine(p))
			}
		}
		opt := media.Options{MaxPixels: cmd.maxPixels, Workers: cmd.workers}
		sum, err := studio.Import(ctx, s, lib, c.args[0], c.args[1:], opt, progress)
		if bar {
			fmt.Fprintln(c.Stdout)
		}
		if err != nil && sum.Imported+sum.Existing+len(sum.Failed) == 0 {
			return err
		}
		if oerr := c.output(sum, func(w io.Writer) { printSummary(w, sum) }); oerr != nil {
			return oerr
		}
		if err != nil {
			return err
		}
		if len(sum.Failed) > 0 {
			return errSilent
		}
		return nil
	})
}
