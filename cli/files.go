package cli

import (
	"context"

	"pinhole/db"
	"pinhole/studio"
)

// deleteGallery removes a gallery and the photo files no other gallery uses.
func deleteGallery(ctx context.Context, c *call, s *db.Store, slug string) (int, error) {
	lib, err := c.Library()
	if err != nil {
		return 0, err
	}
	return studio.DeleteGallery(ctx, s, lib, slug)
}
