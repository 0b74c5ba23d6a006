package db

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// Event kinds, for the photographer's activity views.
const (
	EventView       = "view"      // gallery opened (once per session per day)
	EventPINOK      = "pin_ok"    // right PIN
	EventPINFail    = "pin_fail"  // wrong PIN
	EventDownload   = "download"  // one photo downloaded
	EventZIP        = "zip"       // a ZIP downloaded
	EventFavourite  = "favourite" // a heart set
	EventUnfavorite = "unfavourite"
	EventSent       = "sent"       // a selection of favourites sent to the photographer
	EventLogin      = "login"      // client login with an access code
	EventLoginFail  = "login_fail" // wrong access code
	EventMailSent   = "mail_sent"  // an e-mail sent (a gallery's link)
	EventMailFail   = "mail_fail"  // an e-mail could not be sent (yet)
)

// Event is one thing a visitor did.
type Event struct {
	ID        int64
	GalleryID int64
	PhotoID   int64
	ClientID  int64
	SessionID int64
	Kind      string
	Visitor   string // a first name given for favourites
	Address   string
	Detail    string
	At        time.Time

	// Filled on reads.
	GallerySlug  string
	GalleryTitle string
	ClientName   string
	PhotoName    string
}

// Who names the visitor for people: client, first name, or address.
func (e Event) Who() string {
	switch {
	case e.ClientName != "":
		return e.ClientName
	case e.Visitor != "":
		return e.Visitor
	case e.Address != "":
		return e.Address
	}
	return "someone"
}

// AddEvent records an event now.
func (s *Store) AddEvent(ctx context.Context, e Event) error {
	if e.At.IsZero() {
		e.At = s.Now()
	}
	_, err := s.w.ExecContext(ctx, `INSERT INTO events (gallery_id, photo_id, client_id, session_id, kind,
		visitor, address, detail, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		nullID(e.GalleryID), nullID(e.PhotoID), nullID(e.ClientID), nullID(e.SessionID), e.Kind,
		e.Visitor, e.Address, e.Detail, e.At.Unix())
	return wrap("record event", err)
}

// EventFilter narrows Events; zero fields match everything.
type EventFilter struct {
	GalleryID int64
	ClientID  int64
	Kind      string
	Since     time.Time
	AfterID   int64 // for following new events
	Limit     int   // newest Limit events (with AfterID: the first Limit after it); 0: all
}

// Events lists events oldest first.
func (s *Store) Events(ctx context.Context, f EventFilter) ([]Event, error) {
	var out []Event
	err := s.EachEvent(ctx, f, func(e Event) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// EachEvent calls fn with each event Events would list, oldest first, one
// at a time: a history of a million events is never held whole.
func (s *Store) EachEvent(ctx context.Context, f EventFilter, fn func(Event) error) error {
	var where []string
	var args []any
	if f.GalleryID != 0 {
		where, args = append(where, "e.gallery_id = ?"), append(args, f.GalleryID)
	}
	if f.ClientID != 0 {
		where, args = append(where, "e.client_id = ?"), append(args, f.ClientID)
	}
	if f.Kind != "" {
		where, args = append(where, "e.kind = ?"), append(args, f.Kind)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "e.at >= ?"), append(args, f.Since.Unix())
	}
	if f.AfterID != 0 {
		where, args = append(where, "e.id > ?"), append(args, f.AfterID)
	}
	q := `SELECT e.id, e.gallery_id, e.photo_id, e.client_id, e.session_id, e.kind, e.visitor, e.address,
		e.detail, e.at, COALESCE(g.slug, ''), COALESCE(g.title, ''), COALESCE(c.name, ''), COALESCE(p.filename, '')
		FROM events e LEFT JOIN galleries g ON g.id = e.gallery_id LEFT JOIN clients c ON c.id = e.client_id
		LEFT JOIN photos p ON p.id = e.photo_id`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	// Following a feed (AfterID) pages forward from the cursor, so nothing
	// is skipped; otherwise the newest Limit events are wanted, still
	// given oldest first.
	switch {
	case f.Limit > 0 && f.AfterID == 0:
		q = "SELECT * FROM (" + q + " ORDER BY e.id DESC LIMIT ?) ORDER BY 1"
		args = append(args, f.Limit)
	case f.Limit > 0:
		q += " ORDER BY e.id LIMIT ?"
		args = append(args, f.Limit)
	default:
		q += " ORDER BY e.id"
	}
	rows, err := s.r.QueryContext(ctx, q, args...)
	if err != nil {
		return wrap("list events", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var gid, pid, cid, sid sql.NullInt64
		var at int64
		if err := rows.Scan(&e.ID, &gid, &pid, &cid, &sid, &e.Kind, &e.Visitor, &e.Address, &e.Detail, &at,
			&e.GallerySlug, &e.GalleryTitle, &e.ClientName, &e.PhotoName); err != nil {
			return wrap("list events", err)
		}
		e.GalleryID, e.PhotoID, e.ClientID, e.SessionID = gid.Int64, pid.Int64, cid.Int64, sid.Int64
		e.At = time.Unix(at, 0)
		if err := fn(e); err != nil {
			return err
		}
	}
	return wrap("list events", rows.Err())
}

// Stats counts a gallery's events since a moment.
type Stats struct {
	Opened    int
	Downloads int // photos and ZIPs
	PINFails  int
	LastVisit time.Time
}

// GalleryStats counts what happened in a gallery since a moment.
func (s *Store) GalleryStats(ctx context.Context, galleryID int64, since time.Time) (Stats, error) {
	var st Stats
	var last sql.NullInt64
	// Single events, and what was only counted (visitors without a session,
	// and events past the retention period); a count is taken as recent as
	// the latest event in it.
	err := s.r.QueryRowContext(ctx, `SELECT
		COALESCE(SUM(CASE WHEN kind = 'view' AND at >= ?1 THEN n END), 0),
		COALESCE(SUM(CASE WHEN kind IN ('download', 'zip') AND at >= ?1 THEN n END), 0),
		COALESCE(SUM(CASE WHEN kind = 'pin_fail' AND at >= ?1 THEN n END), 0),
		MAX(CASE WHEN kind = 'view' THEN at END)
		FROM (SELECT kind, at, 1 AS n FROM events WHERE gallery_id = ?2
			UNION ALL SELECT kind, last, n FROM event_counts WHERE gallery_id = ?2)`,
		since.Unix(), galleryID).Scan(&st.Opened, &st.Downloads, &st.PINFails, &last)
	st.LastVisit = fromUnix(last)
	return st, wrap("gallery stats", err)
}

// SessionEventSince reports whether a session already has an event of this
// kind in a gallery since a moment (to count a gallery opened once a day):
// one lookup in the events_session index.
func (s *Store) SessionEventSince(ctx context.Context, sessionID, galleryID int64, kind string, since time.Time) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM events WHERE session_id = ? AND gallery_id = ? AND kind = ? AND at >= ?)`,
		sessionID, galleryID, kind, since.Unix()).Scan(&n)
	return n > 0, wrap("look up events", err)
}
