package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"

	"github.com/julienschmidt/httprouter"

	"pinhole/db"
	"pinhole/studio"
)

// A selection is what a visitor picked across a collection: a top gallery
// and its sets, one list per gallery (lists stay per gallery, as access
// does). A limit set on a gallery counts the picks in it and in its sets;
// a set without a limit of its own counts toward its parent's.

// shelf is the visitor's own list in one gallery of a collection.
type shelf struct {
	v     *visit
	list  *db.PickList // nil until the visitor picks there
	picks map[int64]bool
}

// discard is a ResponseWriter for asking the request checks about another
// gallery than the one asked for: what they would answer is not sent.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// visitOf is how this request's visitor reaches another gallery, decided
// by the same checks as a request for it; nil if they cannot see it.
func (h *Handler) visitOf(r *http.Request, slug string) *visit {
	v := h.open(&discard{}, r, slug)
	if v == nil || !v.canView() {
		return nil
	}
	return v
}

// shelves are the visitor's lists in top (if they can see it) and in each
// of its sets they can see; cur, the shelf of the gallery asked for, is
// used as it is (its list may be new, its cookie not sent yet).
func (h *Handler) shelves(ctx context.Context, r *http.Request, top db.Gallery, cur shelf) ([]shelf, error) {
	var out []shelf
	add := func(g db.Gallery) error {
		if g.ID == cur.v.g.ID {
			out = append(out, cur)
			return nil
		}
		v := h.visitOf(r, g.Slug)
		if v == nil {
			return nil
		}
		l, picks, err := h.picks(ctx, r, v)
		out = append(out, shelf{v: v, list: l, picks: picks})
		return err
	}
	if err := add(top); err != nil {
		return nil, err
	}
	kids, err := h.store.Children(ctx, top.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range kids {
		if err := add(k); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// top is the gallery a collection starts from.
func (v *visit) top() db.Gallery {
	if v.parent != nil {
		return *v.parent
	}
	return v.g
}

// pickCount is the count a gallery's page shows beside "Favourites" and the
// limit it counts toward ("12 of 25"; of is 0 without a limit).
type pickCount struct {
	count, of int
}

// countPicks counts the visitor's picks for v's gallery: a top gallery's
// count holds its sets' picks; a set counts its own, or its whole
// collection when it has no limit of its own and its parent has one. own
// is the visitor's list and picks in v's gallery; coll, the shelves of v's
// collection, is looked up if nil and needed, and returned.
func (h *Handler) countPicks(ctx context.Context, r *http.Request, v *visit, list *db.PickList, own map[int64]bool, coll []shelf) (pickCount, []shelf, error) {
	limit, err := h.store.MaxPicks(ctx, v.g.ID)
	if err != nil {
		return pickCount{}, coll, err
	}
	whole := v.parent == nil
	if !whole && limit == 0 {
		if limit, err = h.store.MaxPicks(ctx, v.parent.ID); err != nil {
			return pickCount{}, coll, err
		}
		whole = limit > 0
	}
	if !whole {
		return pickCount{count: len(own), of: limit}, coll, nil
	}
	if coll == nil {
		if coll, err = h.shelves(ctx, r, v.top(), shelf{v: v, list: list, picks: own}); err != nil {
			return pickCount{}, nil, err
		}
	}
	// A set with a limit of its own is held to that one alone: its picks
	// do not count toward its parent's.
	limits, err := h.store.PickLimits(ctx)
	if err != nil {
		return pickCount{}, coll, err
	}
	t := pickCount{of: limit}
	for _, s := range coll {
		if s.v.g.ParentID == 0 || limits[s.v.g.ID] == 0 {
			t.count += len(s.picks)
		}
	}
	return t, coll, nil
}

// sendState says where the visitor's selection stands: "" (nothing
// picked), "unsent", "sent", or "changed" since it was sent.
func sendState(sh []shelf) string {
	state := ""
	for _, s := range sh {
		switch {
		case s.list == nil || len(s.picks) == 0 && s.list.SentAt.IsZero():
		case s.list.SentAt.IsZero():
			return "unsent"
		case s.list.Changed():
			state = "changed"
		case state == "":
			state = "sent"
		}
	}
	return state
}

// setPicks is one set's picks, shown on its parent's favourites view.
type setPicks struct {
	Title, URL string
	Count      int
	Grid       template.HTML // the picks' list items (template "tiles")
}

// setPicksOf lays out the picks of each set of the collection.
func (h *Handler) setPicksOf(ctx context.Context, v *visit, sh []shelf) ([]setPicks, error) {
	var out []setPicks
	for _, s := range sh {
		if s.v == v || len(s.picks) == 0 {
			continue
		}
		photos, err := h.photos(ctx, s.v.gen, s.v.g.ID)
		if err != nil {
			return nil, err
		}
		var views []photoView
		for i, p := range photos {
			if s.picks[p.ID] {
				pv := photoViewOf(s.v.g.Slug, i, p)
				pv.Fav = true
				views = append(views, pv)
			}
		}
		url := galleryPath(s.v.g.Slug) + "?fav=1"
		grid, err := h.tilesHTML(tiles{Photos: views, Hearts: true, Next: url})
		if err != nil {
			return nil, err
		}
		out = append(out, setPicks{Title: s.v.g.Title, URL: url, Count: len(views), Grid: template.HTML(grid)})
	}
	return out, nil
}

// full reports whether one more pick would pass the limit the gallery
// counts toward.
func (t pickCount) full() bool { return t.of > 0 && t.count >= t.of }

// countText is the count as the page shows it: "12" or "12 of 25".
func (t pickCount) countText() string {
	if t.of > 0 {
		return fmt.Sprintf("%d of %d", t.count, t.of)
	}
	return fmt.Sprint(t.count)
}

// send marks the visitor's selection across the collection as sent to the
// photographer: every list of theirs in the gallery, its parent and its
// sets that holds a pick.
func (h *Handler) send(w http.ResponseWriter, r *http.Request, ps httprouter.Params) {
	v := h.picker(w, r, ps.ByName("slug"))
	if v == nil {
		return
	}
	ctx := r.Context()
	list, own, err := h.picks(ctx, r, v)
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	sh, err := h.shelves(ctx, r, v.top(), shelf{v: v, list: list, picks: own})
	if err != nil {
		h.serverError(w, r, err)
		return
	}
	n := 0
	var ids []int64
	var sent []studio.SentList
	for _, s := range sh {
		if s.list == nil || len(s.picks) == 0 {
			continue
		}
		ids = append(ids, s.list.ID)
		sent = append(sent, studio.SentList{Gallery: s.v.g, ListID: s.list.ID, Photos: len(s.picks)})
		n += len(s.picks)
	}
	if err := h.store.SendPickLists(ctx, ids...); err != nil {
		h.serverError(w, r, err)
		return
	}
	if n == 0 {
		h.errorPage(w, r, http.StatusConflict, "Nothing to send yet", "Press the heart on the photos you love, then send your selection.")
		return
	}
	h.event(ctx, v, db.EventSent, 0, plural(n, "photo", "photos"))
	if err := studio.QueueSelectionNotice(ctx, h.store, v.top(), sent); err != nil {
		h.log.Warn("queue selection notice", "err", err)
	}
	h.pokeMail()
	http.Redirect(w, r, listNext(v.g.Slug, r.PostFormValue("next")), http.StatusSeeOther)
}
