package studio

import (
	"context"
	"fmt"

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
// transaction. A new PIN is refused where the gallery, as the edit leaves
// it, asks no PIN of its own (public, or taking its parent's): it would be
// made and asked nowhere. (The TUI refuses the key before asking.)
func EditGallery(ctx context.Context, store *db.Store, slug string, in db.GalleryInput, newPIN bool) (db.Gallery, error) {
	if newPIN {
		g, err := store.Gallery(ctx, slug)
		if err != nil {
			return db.Gallery{}, err
		}
		access := g.Access
		if in.Access != nil {
			access = *in.Access
		}
		parent := g.ParentSlug // as the edit leaves it
		if in.Parent != nil {
			parent = *in.Parent
		}
		switch {
		case access == db.Public:
			return db.Gallery{}, fmt.Errorf("%s is public and has no PIN of its own: give it --access pin (or download-pin) with --new-pin", slug)
		case access == db.Inherit && parent != "":
			return db.Gallery{}, fmt.Errorf("%s takes the PIN of its parent %s and has no PIN of its own: make a new PIN on %s, or give %s its own with --access pin --new-pin", slug, parent, parent, slug)
		}
	}
	return store.UpdateGallery(ctx, slug, in, newPIN)
}
