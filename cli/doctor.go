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

// DoctorCommand is "pinhole doctor": check that every photo has its files; --repair remakes what is missing.
type DoctorCommand struct {
	repair bool
	hashes bool
}

func (cmd *DoctorCommand) spec() spec {
	return spec{name: "doctor", args: "[--repair] [--hashes]",
		summary: "check that every photo has its files; --repair remakes what is missing"}
}

func (cmd *DoctorCommand) flags(fs *pflag.FlagSet) {
	fs.BoolVar(&cmd.repair, "repair", false, "remake missing renditions and remove stray files")
	fs.BoolVar(&cmd.hashes, "hashes", false, "read every original to check its bytes (else only its size)")
}

func (cmd *DoctorCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	return withFiles(ctx, c, func(s *db.Store, lib *media.Library) error {
		bar := c.Terminal && !c.json
		var last time.Time
		progress := func(p studio.Progress) {
			if bar && (time.Since(last) > 100*time.Millisecond || p.Done == p.Total) {
				last = time.Now()
				fmt.Fprintf(c.Stdout, "\r\x1b[KRepairing %s", progressLine(p, 30))
			}
		}
		rep, err := studio.Doctor(ctx, s, lib, studio.DoctorOptions{Repair: cmd.repair, Hashes: cmd.hashes, Progress: progress})
		if bar && cmd.repair {
			fmt.Fprint(c.Stdout, "\r\x1b[K")
		}
		if err != nil {
			return err
		}
		left := 0
		for _, p := range rep.Problems {
			if !p.Repaired {
				left++
			}
		}
		if err := c.output(rep, func(w io.Writer) {
			fmt.Fprintf(w, "Checked %d photos: %d problems.\n", rep.Photos, len(rep.Problems))
			for _, p := range rep.Problems {
				state := ""
				switch {
				case p.Repaired:
					state = " (repaired)"
				case p.Error != "":
					state = " (" + p.Error + ")"
				}
				fmt.Fprintf(w, "  %-18s %s\n", p.Kind, studio.PrintableName(p.Path+state))
			}
			if left > 0 && !cmd.repair {
				fmt.Fprintln(w, "Run pinhole doctor --repair to fix what can be fixed.")
			}
		}); err != nil {
			return err
		}
		if left > 0 {
			return errSilent
		}
		return nil
	})
}
