package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// GalleryDeleteCommand is "pinhole gallery delete": delete a gallery, its sub-galleries and photo files no other gallery uses.
type GalleryDeleteCommand struct {
	yes bool
}

func (cmd *GalleryDeleteCommand) spec() spec {
	return spec{name: "delete", args: "SLUG [--yes]",
		summary: "delete a gallery, its sub-galleries and photo files no other gallery uses", complete: firstSlug}
}

func (cmd *GalleryDeleteCommand) flags(fs *pflag.FlagSet) {
	fs.BoolVar(&cmd.yes, "yes", false, "do not ask")
}

func (cmd *GalleryDeleteCommand) run(ctx context.Context, c *call) error {
	return withGallery(ctx, c, func(s *db.Store, g db.Gallery) error {
		if !cmd.yes && !c.confirm(fmt.Sprintf("Delete gallery %q (%s) with %d photos?", g.Title, g.Slug, g.Photos)) {
			return errors.New("nothing deleted (answer y, or pass --yes)")
		}
		lib, err := c.OpenLibrary(ctx)
		if err != nil {
			return err
		}
		removed, err := studio.DeleteGallery(ctx, s, lib, g.Slug)
		if err != nil {
			return err
		}
		return c.output(map[string]any{"deleted": g.Slug, "files_removed": removed}, func(w io.Writer) {
			fmt.Fprintf(w, "Deleted %q (%s).\n", g.Title, g.Slug)
		})
	})
}
