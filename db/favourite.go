package db

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Owner is who picks favourites: a client login, or a PIN visitor's first name.
type Owner struct {
	ClientID int64
	Name     string
}

func (o Owner) key() (string, error) {
	if o.ClientID != 0 {
		return fmt.Sprintf("client:%d", o.ClientID), nil
	}
	n := strings.ToLower(strings.TrimSpace(o.Name))
	if n == "" {
		return "", invalidf("favourites need a name")
	}
	return "name:" + n, nil
}

// Favourite is one picked photo.
type Favourite struct {
	PhotoID   int64
	Filename  string
	ClientID  int64
	Person    string // client name or visitor's first name
	CreatedAt time.Time
}

// SetFavourite sets or clears one owner's heart on a photo of a gallery.
func (s *Store) SetFavourite(ctx context.Context, galleryID, photoID int64, o Owner, sessionID int64, on bool) error {
	key, err := o.key()
	if err != nil {
		return err
	}
	if _, err := s.Photo(ctx, galleryID, photoID); err != nil {
		return err
	}
	if on {
		_, err = s.w.ExecContext(ctx, `INSERT INTO favourites (photo_id, client_id, session_id, owner, visitor_name, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (photo_id, owner) DO NOTHING`,
			photoID, nullID(o.ClientID), nullID(sessionID), key, strings.TrimSpace(o.Name), s.Now().Unix())
	} else {
		_, err = s.w.ExecContext(ctx, "DELETE FROM favourites WHERE photo_id = ? AND owner = ?", photoID, key)
	}
	return wrap("set favourite", err)
}

// Favourites lists a gallery's picks, by person then photo order.
func (s *Store) Favourites(ctx context.Context, galleryID int64) ([]Favourite, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT f.photo_id, p.filename, COALESCE(f.client_id, 0),
		COALESCE(c.name, f.visitor_name), f.created_at
		FROM favourites f JOIN photos p ON p.id = f.photo_id LEFT JOIN clients c ON c.id = f.client_id
		WHERE p.gallery_id = ?
		ORDER BY f.owner, p.position, p.taken_at IS NULL, p.taken_at, p.filename, p.id`, galleryID)
	if err != nil {
		return nil, wrap("list favourites", err)
	}
	defer rows.Close()
	var out []Favourite
	for rows.Next() {
		var f Favourite
		var at int64
		if err := rows.Scan(&f.PhotoID, &f.Filename, &f.ClientID, &f.Person, &at); err != nil {
			return nil, wrap("list favourites", err)
		}
		f.CreatedAt = time.Unix(at, 0)
		out = append(out, f)
	}
	return out, wrap("list favourites", rows.Err())
}

// OwnerFavourites is the set of photos one owner picked in a gallery.
func (s *Store) OwnerFavourites(ctx context.Context, galleryID int64, o Owner) (map[int64]bool, error) {
	key, err := o.key()
	if err != nil {
		return map[int64]bool{}, nil
	}
	rows, err := s.r.QueryContext(ctx, `SELECT f.photo_id FROM favourites f JOIN photos p ON p.id = f.photo_id
		WHERE p.gallery_id = ? AND f.owner = ?`, galleryID, key)
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
