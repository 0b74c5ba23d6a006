package cli

import (
	"context"

	"github.com/spf13/pflag"

	"pinhole/db"
	"pinhole/studio"
)

// GallerySetCommand is "pinhole gallery set": change a gallery's settings.
type GallerySetCommand struct {
	gallery galleryFlags
	newPIN  bool
}

func (cmd *GallerySetCommand) spec() spec {
	return spec{name: "set", args: "SLUG [any create flag] [--new-pin]",
		summary: "change a gallery's settings", complete: firstSlug, flagComplete: map[string]completer{"parent": anySlug}, flagValues: galleryFlagValues()}
}

func (cmd *GallerySetCommand) flags(fs *pflag.FlagSet) {
	cmd.gallery.add(fs)
	fs.BoolVar(&cmd.newPIN, "new-pin", false, "generate a new PIN (ends every PIN session of the gallery)")
}

func (cmd *GallerySetCommand) run(ctx context.Context, c *call) error {
	if err := c.exactArgs(1, "SLUG"); err != nil {
		return err
	}
	in, err := cmd.gallery.input(c)
	if err != nil {
		return err
	}
	return withStore(ctx, c, func(s *db.Store) error {
		g, err := studio.EditGallery(ctx, s, c.args[0], in, cmd.newPIN)
		if err != nil {
			return err
		}
		return printGallery(ctx, c, s, g)
	})
}
