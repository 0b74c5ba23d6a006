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
		d, err := studio.Effective(ctx, s, g)
		if err != nil {
			return err
		}
		return printPreview(c, url, exp, "the gallery \""+g.Title+"\"", previewWarning(d))
	})
}

// previewWarning says what the preview of a gallery that does not open
// shows, as Decide says: a draft as it will be once published; an expired
// gallery not at all.
func previewWarning(d studio.Decision) string {
	switch {
	case d.Gone:
		return "The link does not open: " + d.Closed() + "; nor does the preview, which shows the page clients get."
	case !d.Open():
		return "The link does not open yet: " + d.Closed() + ". The preview shows it as clients will see it once it opens."
	}
	return ""
}
