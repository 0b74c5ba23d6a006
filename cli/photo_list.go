package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// PhotoListCommand is "pinhole photo list": list a gallery's photos in display order.
type PhotoListCommand struct{}

func (cmd *PhotoListCommand) spec() spec {
	return spec{name: "list", args: "SLUG",
		summary: "list a gallery's photos in display order", complete: firstSlug}
}

func (cmd *PhotoListCommand) run(ctx context.Context, c *call) error {
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
		// Where each file is: its path in a folder (absolute), its URL in a bucket.
		where := lib.Store().Location
		preview, _ := media.RenditionNamed(media.Preview)
		thumbnail, _ := media.RenditionNamed(media.Thumbnail)
		toJSON := func(p db.Photo) PhotoJSON {
			j := PhotoJSON{ID: p.ID, Filename: p.Filename, Width: p.Width, Height: p.Height, Camera: p.Camera,
				SHA256: p.SHA256, Bytes: p.Bytes, Original: where(media.OriginalKey(p.SHA256)),
				Thumbnail: where(media.RenditionKey(thumbnail, p.SHA256)), Preview: where(media.RenditionKey(preview, p.SHA256)),
				Renditions: map[string]string{}}
			for _, r := range media.Renditions() {
				j.Renditions[r.Name] = where(media.RenditionKey(r, p.SHA256))
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
}
