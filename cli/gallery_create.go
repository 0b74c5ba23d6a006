package cli

import (
	"context"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// GalleryCreateCommand is "pinhole gallery create": create a gallery (PIN access with a generated PIN unless told otherwise).
type GalleryCreateCommand struct {
	gallery galleryFlags
}

func (cmd *GalleryCreateCommand) spec() spec {
	return spec{name: "create", args: "--title T [--pin N|auto] [--access public|pin|download-pin] [--downloads off|web|original] [--expires YYYY-MM-DD] [--description D] [--parent SLUG] [--draft]",
		summary: "create a gallery (PIN access with a generated PIN unless told otherwise)", flagComplete: map[string]completer{"parent": anySlug}, flagValues: galleryFlagValues()}
}

func (cmd *GalleryCreateCommand) flags(fs *pflag.FlagSet) {
	cmd.gallery.add(fs)
}

func (cmd *GalleryCreateCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(0, ""); err != nil {
		return err
	}
	if !c.set("title") {
		return usagef("--title is required")
	}
	in, err := cmd.gallery.input(c)
	if err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		g, err := studio.CreateGallery(ctx, s, in)
		if err != nil {
			return err
		}
		return printGallery(ctx, c, s, g)
	})
}
