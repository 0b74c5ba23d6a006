package cli

import (
	"context"

	"pinhole/db"
)

// GalleryShowCommand is "pinhole gallery show": show a gallery's settings and link.
type GalleryShowCommand struct{}

func (cmd *GalleryShowCommand) spec() spec {
	return spec{name: "show", args: "SLUG",
		summary: "show a gallery's settings and link", complete: firstSlug}
}

func (cmd *GalleryShowCommand) run(ctx context.Context, c *call) error {
	return withGallery(ctx, c, func(s *db.Store, g db.Gallery) error {
		return printGallery(ctx, c, s, g)
	})
}
