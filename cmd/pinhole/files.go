package main

import (
	"context"

	"pinhole/db"
)

// deleteGallery removes a gallery and returns how many photo contents
// no gallery uses any more.
func deleteGallery(ctx context.Context, c *call, s *db.Store, slug string) (int, error) {
	orphans, err := s.DeleteGallery(ctx, slug)
	return len(orphans), err
}
