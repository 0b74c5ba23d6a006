package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// withFiles runs fn with the store and the photo library open.
func withFiles(ctx context.Context, c *call, fn func(*db.Store, *media.Library) error) error {
	return withStore(ctx, c, func(s *db.Store) error {
		lib, err := c.OpenLibrary(ctx)
		if err != nil {
			return err
		}
		return fn(s, lib)
	})
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

// PhotoJSON is a photo as photo list --json prints it.
type PhotoJSON struct {
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
