package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// library opens the photo files' folder in the data folder.
func (e *Env) library() (*media.Library, error) {
	return media.Open(filepath.Join(e.DataDir, "photos"))
}

// withFiles runs fn with the store and the photo library open.
func withFiles(ctx context.Context, c *call, fn func(*db.Store, *media.Library) error) error {
	return withStore(ctx, c, func(s *db.Store) error {
		lib, err := c.library()
		if err != nil {
			return err
		}
		return fn(s, lib)
	})
}

func importCommand() *command {
	var maxPixels *int64
	var workers *int
	return &command{
		name: "import", args: "SLUG PATH... [--max-pixels N] [--workers N]",
		summary: "import photos (files and folders) into a gallery",
		flags: func(fs *flag.FlagSet) {
			maxPixels = fs.Int64("max-pixels", media.DefaultMaxPixels, "refuse images with more pixels than this")
			workers = fs.Int("workers", 0, "photos processed at once (default: one per CPU core)")
		},
		run: func(ctx context.Context, c *call) error {
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
				opt := media.Options{MaxPixels: *maxPixels, Workers: *workers}
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
		},
	}
}

// progressLine draws "[=====>    ] 120/600  4.1 photos/s  1m57s left".
func progressLine(p studio.Progress, width int) string {
	frac := 1.0
	if p.Total > 0 {
		frac = float64(p.Done) / float64(p.Total)
	}
	full := int(frac * float64(width))
	bar := strings.Repeat("=", full)
	if full < width {
		bar += ">" + strings.Repeat(" ", width-full-1)
	}
	line := fmt.Sprintf("[%s] %d/%d  %.1f photos/s", bar, p.Done, p.Total, p.Rate())
	if p.Done < p.Total && p.Done > 0 {
		line += fmt.Sprintf("  %s left", p.Remaining().Round(time.Second))
	}
	if n := len(p.Failed); n > 0 {
		line += fmt.Sprintf("  %d failed", n)
	}
	return line
}

// fileLine is one line per file when the output is not a terminal.
func fileLine(p studio.Progress) string {
	if p.Outcome == "failed" {
		return studio.PrintableName(fmt.Sprintf("failed    %s: %s", p.Last, p.Failed[len(p.Failed)-1].Error))
	}
	return studio.PrintableName(fmt.Sprintf("%-9s %s", p.Outcome, p.Last))
}

func printSummary(w io.Writer, s studio.Summary) {
	fmt.Fprintf(w, "Imported %d, already there %d, failed %d.\n", s.Imported, s.Existing, len(s.Failed))
	for _, f := range s.Failed {
		fmt.Fprintf(w, "  %s: %s\n", studio.PrintableName(f.File), studio.PrintableName(f.Error))
	}
}

type photoJSON struct {
	ID        int64  `json:"id"`
	Filename  string `json:"filename"`
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	TakenAt   string `json:"taken_at"`
	Camera    string `json:"camera"`
	SHA256    string `json:"sha256"`
	Bytes     int64  `json:"bytes"`
	Original  string `json:"original"`
	Thumbnail string `json:"thumbnail"`
	Preview   string `json:"preview"`
	// Renditions holds every rendition's path by name, the two above too.
	Renditions map[string]string `json:"renditions"`
}

func photoCommand() *command {
	return &command{name: "photo", sub: []*command{{
		name: "list", args: "SLUG", summary: "list a gallery's photos in display order",
		run: func(ctx context.Context, c *call) error {
			if err := c.exactArgs(1, "SLUG"); err != nil {
				return err
			}
			return withFiles(ctx, c, func(s *db.Store, lib *media.Library) error {
				g, err := s.Gallery(ctx, c.args[0])
				if err != nil {
					return err
				}
				ps, err := s.Photos(ctx, g.ID)
				if err != nil {
					return err
				}
				toJSON := func(p db.Photo) photoJSON {
					j := photoJSON{ID: p.ID, Filename: p.Filename, Width: p.Width, Height: p.Height, Camera: p.Camera,
						SHA256: p.SHA256, Bytes: p.Bytes, Original: abs(lib.OriginalPath(p.SHA256)),
						Thumbnail: abs(lib.ThumbnailPath(p.SHA256)), Preview: abs(lib.PreviewPath(p.SHA256)),
						Renditions: map[string]string{}}
					for _, r := range media.Renditions() {
						j.Renditions[r.Name] = abs(lib.RenditionPath(r, p.SHA256))
					}
					if !p.TakenAt.IsZero() {
						j.TakenAt = p.TakenAt.Format(time.RFC3339)
					}
					return j
				}
				if c.json { // one photo at a time: 50,000 photos of JSON are never held whole
					return writeJSONArray(c.Stdout, func(emit func(any) error) error {
						for _, p := range ps {
							if err := emit(toJSON(p)); err != nil {
								return err
							}
						}
						return nil
					})
				}
				return c.output(nil, func(w io.Writer) {
					if len(ps) == 0 {
						fmt.Fprintf(w, "No photos in %s yet: pinhole import %s FOLDER\n", g.Slug, g.Slug)
						return
					}
					tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
					fmt.Fprintln(tw, "ID\tFILE\tSIZE\tTAKEN\tCAMERA")
					for _, p := range ps {
						j := toJSON(p)
						fmt.Fprintf(tw, "%d\t%s\t%dx%d\t%s\t%s\n", j.ID, studio.PrintableName(j.Filename), j.Width, j.Height, dash(j.TakenAt), studio.PrintableName(dash(j.Camera)))
					}
					tw.Flush()
				})
			})
		},
	}}}
}

func doctorCommand() *command {
	var repair *bool
	return &command{
		name: "doctor", args: "[--repair]", summary: "check that every photo has its files; --repair remakes what is missing",
		flags: func(fs *flag.FlagSet) {
			repair = fs.Bool("repair", false, "remake missing renditions and remove stray files")
		},
		run: func(ctx context.Context, c *call) error {
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
				rep, err := studio.Doctor(ctx, s, lib, *repair, progress)
				if bar && *repair {
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
					if left > 0 && !*repair {
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
		},
	}
}

func abs(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}
