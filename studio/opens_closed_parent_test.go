package studio

import (
	"testing"
	"time"

	"pinhole/db"
)

// TestOpens_ClosedParent: a sub-gallery of a draft or expired gallery is
// closed on the website whatever its own state, so what a client login
// opens must say so too, not list it as reachable.
func TestOpens_ClosedParent(t *testing.T) {
	now := time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC)
	draft := db.Gallery{ID: 1, Slug: "d", Title: "Draft parent", Access: db.PINAccess, PIN: "1234"}
	expired := db.Gallery{ID: 2, Slug: "x", Title: "Expired parent", Access: db.PINAccess, PIN: "1234", Published: true, ExpiresAt: now.Add(-time.Hour)}
	kidD := db.Gallery{ID: 3, Slug: "kd", Title: "Child of draft", Access: db.Inherit, ParentID: 1, ParentSlug: "d", Published: true}
	kidX := db.Gallery{ID: 4, Slug: "kx", Title: "Child of expired", Access: db.Inherit, ParentID: 2, ParentSlug: "x", Published: true}
	all := []db.Gallery{draft, kidD, expired, kidX}
	for _, granted := range [][]string{{"kd", "kx"}, {"d", "x"}} {
		opens := Opens(all, granted, now)
		if len(opens) < 2 {
			t.Errorf("granted %v: opens %d galleries, want both children", granted, len(opens))
		}
		for _, o := range opens {
			if o.Unreachable == "" {
				t.Errorf("granted %v: %s listed as reachable", granted, o.Gallery.Title)
			}
		}
	}
}
