package studio

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"pinhole/db"
)

// Opening is one gallery a client login reaches, and how.
type Opening struct {
	Gallery     db.Gallery
	Decision    Decision // what the login may do there now
	SkipsPIN    bool     // the login opens it without its PIN
	Via         string   // slug of the granted parent it comes through, if not granted itself
	Unreachable string   // why a client cannot open it now ("" when they can)
}

// Opens lists what a client login with the granted slugs reaches among all
// galleries — the granted ones and their sub-galleries, in the order of
// all — and, from Decide, what it may do with each. It needs no store, so
// an editor can show it before anything is saved.
func Opens(all []db.Gallery, granted []string, now time.Time) []Opening {
	byID := make(map[int64]db.Gallery, len(all))
	var ids []int64
	for _, g := range all {
		byID[g.ID] = g
		if slices.Contains(granted, g.Slug) {
			ids = append(ids, g.ID)
		}
	}
	who := Visitor{Login: true, Granted: ids}
	var out []Opening
	for _, g := range all {
		var parent *db.Gallery
		if p, ok := byID[g.ParentID]; ok && g.ParentID != 0 {
			parent = &p
		}
		direct := slices.Contains(ids, g.ID)
		if !direct && (parent == nil || !slices.Contains(ids, parent.ID)) {
			continue
		}
		d := Decide(g, parent, who, now)
		o := Opening{Gallery: g, Decision: d, SkipsPIN: d.View && d.PIN != "", Unreachable: d.Why()}
		if !direct {
			o.Via = parent.Slug
		}
		out = append(out, o)
	}
	return out
}

// ClientOpens lists what a saved client login reaches.
func ClientOpens(ctx context.Context, store *db.Store, cl db.Client) ([]Opening, error) {
	all, err := store.Galleries(ctx)
	if err != nil {
		return nil, err
	}
	return Opens(Ordered(all), cl.Galleries, store.Now()), nil
}

// Reachable counts the galleries a login opens now.
func Reachable(opens []Opening) int {
	n := 0
	for _, o := range opens {
		if o.Unreachable == "" {
			n++
		}
	}
	return n
}

// OpensSentence says in one sentence what a login opens, the way the
// photographer needs to read it: "Opens 3 galleries — Smith wedding and
// Smith engagement without their PINs". It counts only what opens now, and
// names what does not and why.
func OpensSentence(opens []Opening) string {
	if len(opens) == 0 {
		return "Opens no gallery yet"
	}
	n := Reachable(opens)
	var s string
	if n == 0 {
		s = "Opens no gallery now"
	} else {
		s = fmt.Sprintf("Opens %d %s", n, Plural(n, "gallery", "galleries"))
	}
	var skip, hidden []string
	for _, o := range opens {
		if o.Unreachable != "" {
			hidden = append(hidden, o.Gallery.Title+" ("+o.Decision.Short()+")")
			continue
		}
		if o.SkipsPIN {
			skip = append(skip, o.Gallery.Title)
		}
	}
	switch {
	case n == 0:
	case len(skip) == 0:
		s += " — none of them asks for a PIN"
	case len(skip) == 1:
		s += " — " + skip[0] + " without its PIN"
	default:
		s += " — " + JoinAnd(skip) + " without their PINs"
	}
	if len(hidden) > 0 {
		s += "; not open: " + strings.Join(hidden, ", ")
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
// to exactly the given slugs, in one transaction: nothing is saved when
// any part fails (a taken code, a gallery deleted meanwhile).
func SaveClient(ctx context.Context, store *db.Store, id int64, in db.ClientInput, grants []string) (db.Client, error) {
	return store.SaveClient(ctx, id, in, grants)
}

// Grant lets the client login id open the galleries slugs without their
// PINs, and Revoke takes them away: all of them or, when one is unknown,
// none, in one transaction.
func Grant(ctx context.Context, store *db.Store, id int64, slugs ...string) error {
	return store.Grant(ctx, id, slugs...)
}

// Revoke: see [Grant].
func Revoke(ctx context.Context, store *db.Store, id int64, slugs ...string) error {
	return store.Revoke(ctx, id, slugs...)
}

// DeleteClient deletes a client login with its grants and sessions: its
// access code opens nothing from then on. Its galleries stay.
func DeleteClient(ctx context.Context, store *db.Store, id int64) error {
	return store.DeleteClient(ctx, id)
}

// ClientShare is what the photographer sends a client with a login: where
// to sign in, the access code, and a ready message with both.
type ClientShare struct {
	URL     string // the studio home page, where the code is typed
	Code    string // as people read it: "ANNA-7K2Q-SMTH"
	Message string
	Warning string // why the login would show an empty page now ("" when it opens a gallery)
}

// ClientShareFor builds the message of a client login from its template,
// its link on the base URL (given: see [BaseURL]).
func ClientShareFor(ctx context.Context, store *db.Store, given Given, cl db.Client) (ClientShare, error) {
	base, err := BaseURL(ctx, store, given)
	if err != nil {
		return ClientShare{}, err
	}
	studio, err := Setting(ctx, store, db.SettingStudioName)
	if err != nil {
		return ClientShare{}, err
	}
	tmpl, err := Setting(ctx, store, db.SettingTemplateClient)
	if err != nil {
		return ClientShare{}, err
	}
	opens, err := ClientOpens(ctx, store, cl)
	if err != nil {
		return ClientShare{}, err
	}
	sh := ClientShare{URL: siteURL(base, "/"), Code: db.FormatCode(cl.Code)}
	sh.Message = strings.NewReplacer("{name}", cl.Name, "{code}", sh.Code, "{url}", sh.URL, "{studio}", studio).Replace(tmpl)
	if Reachable(opens) == 0 {
		sh.Warning = "This login o" + strings.TrimPrefix(OpensSentence(opens), "O") + ": the client would find an empty page"
	}
	return sh, nil
}
