package db

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// PickList is one visitor's favourites in one gallery: a client login's,
// or a browser's, known by the token in its cookie. The name is how the
// photographer sees it, not what identifies it.
type PickList struct {
	ID        int64
	GalleryID int64
	ClientID  int64  // a client login's list
	Name      string // the first name given, or the client's name
	// WithPIN: picked while holding a download PIN; a visitor without the
	// PIN does not reach it.
	WithPIN   bool
	SentAt    time.Time // zero until the visitor sends the selection
	CreatedAt time.Time
	UpdatedAt time.Time // the last pick or unpick
	Picks     int       // photos picked (PickLists only)
}

// Favourite is one picked photo.
type Favourite struct {
	ListID    int64
	PhotoID   int64
	Filename  string
	ClientID  int64
	Person    string // the list's name: client name or visitor's first name
	CreatedAt time.Time
}

// Changed reports whether the list was changed after it was sent.
func (l PickList) Changed() bool { return !l.SentAt.IsZero() && l.UpdatedAt.After(l.SentAt) }

const pickListColumns = `l.id, l.gallery_id, COALESCE(l.client_id, 0), COALESCE(c.name, l.name), l.with_pin,
	l.sent_at, l.created_at, l.updated_at`

func scanPickList(sc interface{ Scan(...any) error }, extra ...any) (PickList, error) {
	var l PickList
	var sent sql.NullInt64
	var created, updated int64
	err := sc.Scan(append([]any{&l.ID, &l.GalleryID, &l.ClientID, &l.Name, &l.WithPIN, &sent, &created, &updated}, extra...)...)
	l.SentAt, l.CreatedAt, l.UpdatedAt = fromUnix(sent), time.Unix(created, 0), time.Unix(updated, 0)
	return l, err
}

// ClientPickList is a client login's list in a gallery (ErrNotFound until
// the client picks there).
func (s *Store) ClientPickList(ctx context.Context, galleryID, clientID int64) (PickList, error) {
	l, err := scanPickList(s.readRow(ctx, `SELECT `+pickListColumns+` FROM pick_lists l
		LEFT JOIN clients c ON c.id = l.client_id WHERE l.gallery_id = ? AND l.client_id = ?`, galleryID, clientID))
	return l, wrap("pick list", err)
}

// BrowserPickList is the list a browser's token names in a gallery.
func (s *Store) BrowserPickList(ctx context.Context, galleryID int64, token string) (PickList, error) {
	l, err := scanPickList(s.readRow(ctx, `SELECT `+pickListColumns+` FROM pick_lists l
		LEFT JOIN clients c ON c.id = l.client_id WHERE l.gallery_id = ? AND l.token_hash = ?`, galleryID, hashToken(token)))
	return l, wrap("pick list", err)
}

// CreatePickList starts a list in a gallery. A client login has one list
// per gallery: its existing list is returned, and no token. A browser's
// list gets a new token, shown once (in its cookie) and stored as a hash.
func (s *Store) CreatePickList(ctx context.Context, l PickList) (string, PickList, error) {
	now := s.Now().Unix()
	if l.ClientID != 0 {
		if _, err := s.w.ExecContext(ctx, `INSERT INTO pick_lists (gallery_id, client_id, created_at, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, l.GalleryID, l.ClientID, now, now); err != nil {
			return "", PickList{}, wrap("create pick list", err)
		}
		l, err := scanPickList(s.w.QueryRowContext(ctx, `SELECT `+pickListColumns+` FROM pick_lists l
			LEFT JOIN clients c ON c.id = l.client_id WHERE l.gallery_id = ? AND l.client_id = ?`, l.GalleryID, l.ClientID))
		return "", l, wrap("create pick list", err)
	}
	l.Name = strings.TrimSpace(l.Name)
	if l.Name == "" {
		return "", PickList{}, invalidf("a list of favourites needs a name")
	}
	token := NewToken()
	res, err := s.w.ExecContext(ctx, `INSERT INTO pick_lists (gallery_id, token_hash, name, with_pin, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?)`, l.GalleryID, hashToken(token), l.Name, l.WithPIN, now, now)
	if err != nil {
		return "", PickList{}, wrap("create pick list", err)
	}
	l.ID, _ = res.LastInsertId()
	l.CreatedAt, l.UpdatedAt = time.Unix(now, 0), time.Unix(now, 0)
	return token, l, nil
}

// SetPick sets or clears a list's heart on a photo of the list's gallery.
// withPIN marks the list as picked while holding a download PIN (a mark
// that stays).
func (s *Store) SetPick(ctx context.Context, listID, photoID int64, on, withPIN bool) error {
	return wrap("set favourite", s.tx(ctx, func(tx *sql.Tx) error {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM photos p JOIN pick_lists l ON l.gallery_id = p.gallery_id
			WHERE p.id = ? AND l.id = ?`, photoID, listID).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return notFoundf("photo %d: not found in the list's gallery", photoID)
		}
		now := s.Now().Unix()
		if on {
			_, err = tx.ExecContext(ctx, `INSERT INTO favourites (list_id, photo_id, created_at) VALUES (?, ?, ?)
				ON CONFLICT (list_id, photo_id) DO NOTHING`, listID, photoID, now)
		} else {
			_, err = tx.ExecContext(ctx, "DELETE FROM favourites WHERE list_id = ? AND photo_id = ?", listID, photoID)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE pick_lists SET updated_at = ?, with_pin = with_pin OR ? WHERE id = ?", now, withPIN, listID)
		return err
	}))
}

// NamePickList renames a browser's list (a client login's list shows the
// client's name).
func (s *Store) NamePickList(ctx context.Context, listID int64, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return invalidf("a list of favourites needs a name")
	}
	_, err := s.w.ExecContext(ctx, "UPDATE pick_lists SET name = ? WHERE id = ? AND client_id IS NULL", name, listID)
	return wrap("name pick list", err)
}

// Picks is the set of photos a list holds.
func (s *Store) Picks(ctx context.Context, listID int64) (map[int64]bool, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT photo_id FROM favourites WHERE list_id = ?", listID)
	if err != nil {
		return nil, wrap("list favourites", err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, wrap("list favourites", err)
		}
		out[id] = true
	}
	return out, wrap("list favourites", rows.Err())
}

// PickLists are a gallery's lists in the order they were started, with
// how many photos each holds.
func (s *Store) PickLists(ctx context.Context, galleryID int64) ([]PickList, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+pickListColumns+`,
		(SELECT COUNT(*) FROM favourites f WHERE f.list_id = l.id)
		FROM pick_lists l LEFT JOIN clients c ON c.id = l.client_id
		WHERE l.gallery_id = ? ORDER BY l.id`, galleryID)
	if err != nil {
		return nil, wrap("pick lists", err)
	}
	defer rows.Close()
	var out []PickList
	for rows.Next() {
		var n int
		l, err := scanPickList(rows, &n)
		if err != nil {
			return nil, wrap("pick lists", err)
		}
		l.Picks = n
		out = append(out, l)
	}
	return out, wrap("pick lists", rows.Err())
}

// Favourites lists a gallery's picks, list by list (in the order the lists
// were started), each in the gallery's photo order.
func (s *Store) Favourites(ctx context.Context, galleryID int64) ([]Favourite, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT l.id, f.photo_id, p.filename, COALESCE(l.client_id, 0),
		COALESCE(c.name, l.name), f.created_at
		FROM favourites f JOIN pick_lists l ON l.id = f.list_id JOIN photos p ON p.id = f.photo_id
		LEFT JOIN clients c ON c.id = l.client_id
		WHERE l.gallery_id = ?
		ORDER BY l.id, p.position, p.taken_at IS NULL, p.taken_at, p.filename, p.id`, galleryID)
	if err != nil {
		return nil, wrap("list favourites", err)
	}
	defer rows.Close()
	var out []Favourite
	for rows.Next() {
		var f Favourite
		var at int64
		if err := rows.Scan(&f.ListID, &f.PhotoID, &f.Filename, &f.ClientID, &f.Person, &at); err != nil {
			return nil, wrap("list favourites", err)
		}
		f.CreatedAt = time.Unix(at, 0)
		out = append(out, f)
	}
	return out, wrap("list favourites", rows.Err())
}

// SendPickLists marks lists as sent to the photographer, now, together.
func (s *Store) SendPickLists(ctx context.Context, ids ...int64) error {
	return wrap("send pick lists", s.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			res, err := tx.ExecContext(ctx, "UPDATE pick_lists SET sent_at = ? WHERE id = ?", s.Now().Unix(), id)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return notFoundf("pick list %d not found", id)
			}
		}
		return nil
	}))
}

// MaxPicks is a gallery's limit on picks per visitor; 0 is none.
func (s *Store) MaxPicks(ctx context.Context, galleryID int64) (int, error) {
	var n int
	err := s.readRow(ctx, "SELECT max_picks FROM pick_limits WHERE gallery_id = ?", galleryID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, wrap("pick limit", err)
}

// SetMaxPicks sets a gallery's limit on picks per visitor; 0 removes it.
func (s *Store) SetMaxPicks(ctx context.Context, galleryID int64, n int) error {
	return s.tx(ctx, func(tx *sql.Tx) error { return setMaxPicks(ctx, tx, galleryID, &n) })
}

// setMaxPicks sets a gallery's limit on picks in tx, when n is given.
func setMaxPicks(ctx context.Context, tx *sql.Tx, galleryID int64, n *int) error {
	var err error
	switch {
	case n == nil:
		return nil
	case *n < 0:
		return invalidf("the limit on picks must be 0 (none) or more")
	case *n == 0:
		_, err = tx.ExecContext(ctx, "DELETE FROM pick_limits WHERE gallery_id = ?", galleryID)
	default:
		_, err = tx.ExecContext(ctx, `INSERT INTO pick_limits (gallery_id, max_picks) VALUES (?, ?)
			ON CONFLICT (gallery_id) DO UPDATE SET max_picks = excluded.max_picks`, galleryID, *n)
	}
	return wrap("set pick limit", err)
}

// PickLimits are every gallery's limit on picks, by gallery id.
func (s *Store) PickLimits(ctx context.Context) (map[int64]int, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT gallery_id, max_picks FROM pick_limits")
	if err != nil {
		return nil, wrap("pick limits", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrap("pick limits", err)
		}
		out[id] = n
	}
	return out, wrap("pick limits", rows.Err())
}
