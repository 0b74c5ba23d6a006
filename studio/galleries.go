package studio

import "pinhole/db"

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
