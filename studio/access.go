package studio

import (
	"fmt"
	"slices"
	"time"

	"pinhole/db"
)

// This file is the one place that decides access. The website asks it on
// every request; the TUI, the command line, share texts and the client
// dashboard ask it for what they tell the photographer and the client, so
// that what they say is what the website does.

// State is whether a gallery is open to clients at all.
type State string

const (
	Open             State = "open"
	Draft            State = "draft"
	Expired          State = "expired"
	ClosedWithParent State = "closed-with-parent"
)

// Reason says what keeps a visitor from seeing or downloading.
type Reason string

const (
	NoReason          Reason = ""
	ReasonDraft       Reason = "draft"
	ReasonExpired     Reason = "expired"
	ReasonParentDraft Reason = "parent-draft"
	ReasonParentGone  Reason = "parent-expired"
	ReasonPIN         Reason = "pin"          // the PIN is needed to look
	ReasonDownloadPIN Reason = "download-pin" // the PIN is needed to download
	ReasonNoDownloads Reason = "downloads-off"
)

// By is what let a visitor in past the PIN.
type By string

const (
	ByNobody  By = ""        // no PIN needed, or not let in
	ByPIN     By = "pin"     // a PIN session
	ByLogin   By = "login"   // a client login granted the gallery or its parent
	ByPreview By = "preview" // the photographer's preview link
)

// Visitor is what a visitor holds: a client login, a gallery session, both
// or neither. The zero Visitor is an anonymous visitor with the link.
type Visitor struct {
	Login   bool    // holds a client login
	Granted []int64 // the galleries granted to that login
	Pass    *Pass   // a gallery session
}

// Pass is a gallery session: a PIN typed on a gallery's page, or the
// photographer's preview link of a gallery.
type Pass struct {
	From       db.Gallery // the gallery whose page it was opened on
	PINGallery int64      // the gallery whose PIN was typed (From, or the parent it inherits from)
	PINVersion int        // that gallery's pin_version when it was typed
	Preview    bool
}

// Decision is what a visitor may do with a gallery, and why not.
type Decision struct {
	State      State
	Access     db.Access    // the access in effect: the gallery's own, or its parent's
	PIN        string       // the PIN in effect ("" for a public gallery)
	PINGallery db.Gallery   // the gallery whose access and PIN apply
	Expires    time.Time    // when it closes, its parent's expiry included; zero: never
	View       bool         // the grid and the renditions
	Download   db.Downloads // what may be downloaded now (DownloadsOff: nothing)
	Reason     Reason       // why View or Download is withheld
	By         By           // what opened it past the PIN
	Held       bool         // the visitor's gallery session reaches this gallery, its PIN still right or not
	Cover      bool         // the chosen cover may be shown: with the photos, or on the PIN page when the photographer chose so
	Gone       bool         // its last day, or its parent's, has passed: nothing opens it again, not publishing, not the preview
	Listed     bool         // on the studio's home page: marked listed, open, public and at the top

	parentTitle string
	gone        Reason // ReasonExpired or ReasonParentGone when Gone
}

// Decide decides what visitor may do with gallery g (whose parent is
// parent, nil for a top-level gallery) at now. It is pure: everything it
// needs is in its arguments.
func Decide(g db.Gallery, parent *db.Gallery, v Visitor, now time.Time) Decision {
	d := Decision{State: Open, Access: g.Access, PIN: g.PIN, PINGallery: g, Expires: g.ExpiresAt}
	if parent != nil {
		d.parentTitle = parent.Title
		if g.Access == db.Inherit {
			d.Access, d.PIN, d.PINGallery = parent.Access, parent.PIN, *parent
		}
		if !parent.ExpiresAt.IsZero() && (d.Expires.IsZero() || parent.ExpiresAt.Before(d.Expires)) {
			d.Expires = parent.ExpiresAt
		}
	}
	if d.Access == db.Public {
		d.PIN = ""
	}
	switch {
	case !g.Published:
		d.State, d.Reason = Draft, ReasonDraft
	case g.Expired(now):
		d.State, d.Reason = Expired, ReasonExpired
	case parent != nil && !parent.Published:
		d.State, d.Reason = ClosedWithParent, ReasonParentDraft
	case parent != nil && parent.Expired(now):
		d.State, d.Reason = ClosedWithParent, ReasonParentGone
	}
	switch {
	case g.Expired(now):
		d.Gone, d.gone = true, ReasonExpired
	case parent != nil && parent.Expired(now):
		d.Gone, d.gone = true, ReasonParentGone
	}
	d.Listed = g.Listed && g.ParentID == 0 && d.State == Open && d.Access == db.Public
	d.Held = v.Pass != nil && covers(v.Pass.From, g)
	d.By = let(g, parent, d.PINGallery, v)
	if d.State != Open {
		// The photographer's preview shows a draft, so that it can be
		// checked before it is published; nothing else opens a closed gallery.
		if d.By != ByPreview || d.Gone {
			d.By = ByNobody
			return d
		}
		d.Reason = NoReason
	}
	d.View = d.Access == db.Public || d.Access == db.DownloadPIN || d.By != ByNobody
	d.Cover = g.CoverID != 0 && (d.View || g.CoverOnPIN)
	switch {
	case !d.View:
		d.Reason = ReasonPIN
		d.Download = db.DownloadsOff
	case g.Downloads == db.DownloadsOff:
		d.Reason, d.Download = ReasonNoDownloads, db.DownloadsOff
	case d.Access != db.Public && d.By == ByNobody:
		d.Reason, d.Download = ReasonDownloadPIN, db.DownloadsOff
	default:
		d.Download = g.Downloads
	}
	return d
}

// let says what, of what the visitor holds, opens g past its PIN. pg is
// the gallery whose PIN applies to g.
func let(g db.Gallery, parent *db.Gallery, pg db.Gallery, v Visitor) By {
	if v.Pass != nil && v.Pass.Preview && covers(v.Pass.From, g) {
		return ByPreview
	}
	if v.Login && (slices.Contains(v.Granted, g.ID) || parent != nil && slices.Contains(v.Granted, parent.ID)) {
		return ByLogin
	}
	if p := v.Pass; p != nil && !p.Preview && p.PINVersion != 0 &&
		p.PINGallery == pg.ID && p.PINVersion == pg.PINVersion && covers(p.From, g) {
		return ByPIN
	}
	return ByNobody
}

// covers reports whether a session opened on gallery from reaches g: g
// itself; a sub-gallery of from that follows its access; or, when from is
// a sub-gallery that follows its parent's access and lets visitors go up,
// that parent.
func covers(from, g db.Gallery) bool {
	switch {
	case from.ID == g.ID:
		return true
	case g.ParentID == from.ID && g.Access == db.Inherit:
		return true
	case from.ParentID == g.ID && from.Access == db.Inherit && from.NavigateUp:
		return true
	}
	return false
}

// Open reports whether a gallery is open to clients at all.
func (d Decision) Open() bool { return d.State == Open }

// Needs reports whether the visitor would need to type the PIN to do what
// the gallery allows: look (PIN access) or download (download PIN).
func (d Decision) Needs() bool { return d.Reason == ReasonPIN || d.Reason == ReasonDownloadPIN }

// PINFrom is the slug of the gallery whose PIN a visitor types when that
// is not g itself (a sub-gallery following its parent), else "".
func (d Decision) PINFrom(g db.Gallery) string {
	if d.PIN == "" || d.PINGallery.ID == g.ID {
		return ""
	}
	return d.PINGallery.Slug
}

// ExpiresOn is the last day a client can open the gallery, YYYY-MM-DD, or "".
func (d Decision) ExpiresOn() string { return db.Gallery{ExpiresAt: d.Expires}.ExpiresOn() }

// closedWords says why a gallery is not open, for each reason: for the
// photographer (Why), in a list (Short), and about a link (Closed). %s is
// the parent's title.
var closedWords = map[Reason][3]string{
	ReasonDraft:       {"draft: not shown until published", "a draft", "the gallery is a draft (publish it first)"},
	ReasonExpired:     {"expired: not shown", "expired", "the gallery has expired"},
	ReasonParentDraft: {"its parent %s is a draft: not shown until published", "its parent %s is a draft", "its parent gallery %s is a draft"},
	ReasonParentGone:  {"its parent %s has expired: not shown", "its parent %s has expired", "its parent gallery %s has expired"},
}

func (d Decision) closedWords(i int) string {
	r := d.Reason
	if d.Gone && (r == ReasonDraft || r == ReasonParentDraft) {
		// A draft whose last day has passed: publishing would not open
		// it, its expiry is what keeps it closed.
		r = d.gone
	}
	w, ok := closedWords[r]
	if !ok {
		return ""
	}
	if r == ReasonParentDraft || r == ReasonParentGone {
		return fmt.Sprintf(w[i], d.parentTitle)
	}
	return w[i]
}

// Why says in words why a gallery is not open, for the photographer; ""
// when it is.
func (d Decision) Why() string { return d.closedWords(0) }

// Short says in a few words why a gallery is not open, for a list; "" when it is.
func (d Decision) Short() string { return d.closedWords(1) }

// Closed says why a link does not open, as a clause: "the gallery is a
// draft"; "" when it opens.
func (d Decision) Closed() string { return d.closedWords(2) }

// WithPIN is a visitor holding the link of g and, when it asks for one,
// the PIN typed on its page (d is g's decision for the link alone).
func WithPIN(g db.Gallery, d Decision) Visitor {
	var v Visitor
	if d.PIN != "" {
		v.Pass = &Pass{From: g, PINGallery: d.PINGallery.ID, PINVersion: d.PINGallery.PINVersion}
	}
	return v
}

// GoingUp says, for a set g that lets visitors go up to its parent, what
// a visitor holding the set's link, and its PIN when it asks for one (d is
// the set's decision for the link alone), finds there; "" for any other
// gallery.
func GoingUp(g db.Gallery, parent *db.Gallery, d Decision, now time.Time) string {
	if parent == nil || !g.NavigateUp {
		return ""
	}
	pd := Decide(*parent, nil, WithPIN(g, d), now)
	switch {
	case !pd.Open():
		return "it does not open: " + pd.Closed()
	case pd.By == ByPIN:
		return "the PIN typed here opens it too"
	case pd.Reason == ReasonPIN:
		return "it asks for its own PIN"
	case pd.Reason == ReasonDownloadPIN:
		return "open to look at; its downloads ask for its own PIN"
	}
	return "open to anyone with the link"
}

// LinkDecisions decides, for every gallery of all, what a client holding
// only its link gets (all must hold the parents of its sub-galleries).
func LinkDecisions(all []db.Gallery, now time.Time) map[int64]Decision {
	byID := make(map[int64]*db.Gallery, len(all))
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	out := make(map[int64]Decision, len(all))
	for _, g := range all {
		out[g.ID] = Decide(g, byID[g.ParentID], Visitor{}, now)
	}
	return out
}
