package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"pinhole/db"
	"pinhole/studio"
)

// GalleryListCommand is "pinhole gallery list": list galleries, newest first.
type GalleryListCommand struct{}

func (cmd *GalleryListCommand) spec() spec {
	return spec{name: "list", args: "",
		summary: "list galleries, newest first"}
}

func (cmd *GalleryListCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		gs, err := s.Galleries(ctx)
		if err != nil {
			return err
		}
		base, err := studio.BaseURL(ctx, s, c.Links)
		if err != nil {
			return err
		}
		limits, err := s.PickLimits(ctx)
		if err != nil {
			return err
		}
		out := make([]GalleryJSON, 0, len(gs))
		ds := studio.LinkDecisions(gs, s.Now())
		for _, g := range studio.Ordered(gs) {
			j := toGalleryJSON(g, base, ds[g.ID])
			j.MaxPicks = limits[g.ID]
			out = append(out, j)
		}
		return c.output(out, func(w io.Writer) {
			if len(gs) == 0 {
				fmt.Fprintln(w, "No galleries yet. Create one: pinhole gallery create --title \"Smith wedding\"")
				return
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SLUG\tTITLE\tACCESS\tPIN\tPHOTOS\tEXPIRES\tSTATE")
			for _, g := range out {
				title := studio.PrintableName(g.Title)
				if g.Parent != "" {
					title = "  └ " + title
				}
				d := ds[g.ID]
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", g.Slug, title, g.Effective.Access, dash(d.PIN),
					g.Photos, dash(g.Effective.Expires), state(g))
			}
			tw.Flush()
		})
	})
}
