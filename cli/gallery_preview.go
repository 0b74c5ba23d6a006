package cli

import (
	"context"

	"pinhole/db"
	"pinhole/studio"
)

// GalleryPreviewCommand is "pinhole gallery preview": print a 15-minute link that shows the gallery as a client sees it.
type GalleryPreviewCommand struct{}

func (cmd *GalleryPreviewCommand) spec() spec {
	return spec{name: "preview", args: "SLUG",
		summary: "print a 15-minute link that shows the gallery as a client sees it", complete: firstSlug}
}

func (cmd *GalleryPreviewCommand) run(ctx context.Context, c *call) error {
	return withGallery(ctx, c, func(s *db.Store, g db.Gallery) error {
		url, exp, err := studio.PreviewURL(ctx, s, c.Links, db.Session{GalleryID: g.ID})
		if err != nil {
			return err
		}
		return printPreview(c, url, exp, "the gallery \""+g.Title+"\"")
	})
}
