package studio

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"pinhole/db"
)

// Opening is one gallery a client login opens, and how.
type Opening struct {
	Gallery     db.Gallery
	SkipsPIN    bool   // the login opens it without its PIN
	Via         string // slug of the granted parent it comes through, if not granted itself
	Unreachable string // why a client cannot see it now ("" when they can)
}

// Opens lists what a client login with the granted slugs opens among all
// galleries: the granted ones and their sub-galleries, in the order of all.
// It needs no store, so an editor can show it before anything is saved.
func Opens(all []db.Gallery, granted []string, now time.Time) []Opening {
	byID := make(map[int64]db.Gallery, len(all))
	for _, g := range all {
		byID[g.ID] = g
	}
	isGranted := func(slug string) bool { return slices.Contains(granted, slug) }
	var out []Opening
	for _, g := range all {
		p, hasParent := byID[g.ParentID]
		direct := isGranted(g.Slug)
		viaParent := g.ParentID != 0 && hasParent && isGranted(p.Slug)
		if !direct && !viaParent {
			continue
		}
		access, pin := g.Access, g.PIN
		if g.Access == db.Inherit && hasParent {
			access, pin = p.Access, p.PIN
		}
		o := Opening{Gallery: g, SkipsPIN: access != db.Public && pin != ""}
		if !direct {
			o.Via = p.Slug
		}
		switch {
		case !g.Published:
			o.Unreachable = "draft: not shown until published"
		case g.Expired(now):
			o.Unreachable = "expired: not shown"
		case hasParent && !p.Published: // the website closes a child with its parent
			o.Unreachable = "its parent " + p.Title + " is a draft: not shown until published"
		case hasParent && p.Expired(now):
			o.Unreachable = "its parent " + p.Title + " has expired: not shown"
		}
		out = append(out, o)
	}
	return out
}

// ClientOpens lists what a saved client login opens.
func ClientOpens(ctx context.Context, store *db.Store, cl db.Client) ([]Opening, error) {
	all, err := store.Galleries(ctx)
	if err != nil {
		return nil, err
	}
	return Opens(Ordered(all), cl.Galleries, store.Now()), nil
}

// OpensSentence says in one sentence what a login opens, the way the
// photographer needs to read it: "Opens 3 galleries — Smith wedding and
// Smith engagement without their PINs".
func OpensSentence(opens []Opening) string {
	if len(opens) == 0 {
		return "Opens no gallery yet"
	}
	s := fmt.Sprintf("Opens %d %s", len(opens), Plural(len(opens), "gallery", "galleries"))
	var skip, hidden []string
	for _, o := range opens {
		if o.Unreachable != "" {
			hidden = append(hidden, o.Gallery.Title)
			continue
		}
		if o.SkipsPIN {
			skip = append(skip, o.Gallery.Title)
		}
	}
	switch len(skip) {
	case 0:
		s += " — none of them asks for a PIN"
	case 1:
		s += " — " + skip[0] + " without its PIN"
	default:
		s += " — " + JoinAnd(skip) + " without their PINs"
	}
	if len(hidden) > 0 {
		s += "; " + JoinAnd(hidden) + " " + Plural(len(hidden), "is", "are") + " not shown (draft or expired)"
	}
	return s
}

// JoinAnd joins names as a sentence does: "a", "a and b", "a, b and c".
func JoinAnd(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Plural picks the word for n things.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// SaveClient creates (id 0) or changes a client login and sets its grants
// to exactly the given slugs.
func SaveClient(ctx context.Context, store *db.Store, id int64, in db.ClientInput, grants []string) (db.Client, error) {
	var cl db.Client
	var err error
	if id == 0 {
		cl, err = store.CreateClient(ctx, in)
	} else {
		cl, err = store.UpdateClient(ctx, id, in)
	}
	if err != nil {
		return db.Client{}, err
	}
	var add, remove []string
	for _, s := range grants {
		if !slices.Contains(cl.Galleries, s) {
			add = append(add, s)
		}
	}
	for _, s := range cl.Galleries {
		if !slices.Contains(grants, s) {
			remove = append(remove, s)
		}
	}
	if len(add) == 0 && len(remove) == 0 {
		return cl, nil
	}
	if len(add) > 0 {
		if err := store.Grant(ctx, cl.ID, add...); err != nil {
			return cl, err
		}
	}
	if len(remove) > 0 {
		if err := store.Revoke(ctx, cl.ID, remove...); err != nil {
			return cl, err
		}
	}
	return store.ClientByID(ctx, cl.ID)
}
