package studio

import (
	"context"

	"pinhole/db"
)

// Ordered puts sub-galleries right under their parent (oldest child first),
// keeping the order of gs otherwise. Galleries come newest first from the
// store, so this is the order the photographer reads them in.
func Ordered(gs []db.Gallery) []db.Gallery {
	ids := make(map[int64]bool, len(gs))
	for _, g := range gs {
		ids[g.ID] = true
	}
	kids := map[int64][]db.Gallery{}
	for _, g := range gs {
		if g.ParentID != 0 && ids[g.ParentID] {
			kids[g.ParentID] = append(kids[g.ParentID], g)
		}
	}
	out := make([]db.Gallery, 0, len(gs))
	for _, g := range gs {
		if g.ParentID != 0 && ids[g.ParentID] {
			continue
		}
		out = append(out, g)
		for i := len(kids[g.ID]) - 1; i >= 0; i-- { // oldest child first
			out = append(out, kids[g.ID][i])
		}
	}
	return out
}

// CreateGallery creates a gallery as in says (a PIN gallery with a
// generated PIN unless told otherwise), in one transaction.
func CreateGallery(ctx context.Context, store *db.Store, in db.GalleryInput) (db.Gallery, error) {
	return store.CreateGallery(ctx, in)
}

// EditGallery changes what in sets of the gallery slug and, with newPIN,
// gives it a new PIN, which ends every PIN session of the gallery; in one
// transaction.
func EditGallery(ctx context.Context, store *db.Store, slug string, in db.GalleryInput, newPIN bool) (db.Gallery, error) {
	return store.UpdateGallery(ctx, slug, in, newPIN)
}
