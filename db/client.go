package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Client is a client login: a name and an access code that opens a set of
// galleries without their PINs.
type Client struct {
	ID         int64
	Name       string
	Code       string // normalised; FormatCode shows it
	Note       string
	CreatedAt  time.Time
	LastSeenAt time.Time
	Galleries  []string // slugs granted directly, in grant order
	GalleryIDs []int64  // their ids, in the same order
}

// ClientInput holds a client's fields to create or change; nil: unchanged.
type ClientInput struct {
	Name *string
	Code *string // typed as the photographer likes; "" generates one on create
	Note *string
}

func (s *Store) applyClient(c *Client, in ClientInput) error {
	if in.Name != nil {
		n := strings.TrimSpace(*in.Name)
		if n == "" {
			return invalidf("a name is required")
		}
		c.Name = n
	}
	if in.Code != nil {
		code := NormalizeCode(*in.Code)
		if code == "" {
			code = GenerateCode()
		} else if err := ValidCode(code); err != nil {
			return err
		}
		c.Code = code
	}
	if in.Note != nil {
		c.Note = strings.TrimSpace(*in.Note)
	}
	return nil
}

// CreateClient adds a client login; without a code one is generated.
func (s *Store) CreateClient(ctx context.Context, in ClientInput) (Client, error) {
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = s.insertClient(ctx, tx, in)
		return err
	})
	if err != nil {
		return Client{}, err
	}
	return s.ClientByID(ctx, id)
}

func (s *Store) insertClient(ctx context.Context, tx *sql.Tx, in ClientInput) (int64, error) {
	var c Client
	if in.Name == nil {
		return 0, invalidf("a name is required")
	}
	if in.Code == nil {
		empty := ""
		in.Code = &empty
	}
	if err := s.applyClient(&c, in); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, "INSERT INTO clients (name, code, note, created_at) VALUES (?, ?, ?, ?)",
		c.Name, c.Code, c.Note, s.Now().Unix())
	if err != nil {
		err = wrap("create client", err)
		if errors.Is(err, ErrConflict) {
			return 0, conflictf("access code %s is taken by another client; choose another or leave it out to generate one", FormatCode(c.Code))
		}
		return 0, err
	}
	return res.LastInsertId()
}

// UpdateClient changes a client's name, code or note.
func (s *Store) UpdateClient(ctx context.Context, id int64, in ClientInput) (Client, error) {
	var c Client
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = s.updateClient(ctx, tx, id, in)
		return err
	})
	if err != nil {
		return Client{}, err
	}
	return c, s.fillGrants(ctx, &c)
}

// updateClient reads the client inside the write transaction, so a
// concurrent change to another field is not overwritten with what was
// read before it.
func (s *Store) updateClient(ctx context.Context, tx *sql.Tx, id int64, in ClientInput) (Client, error) {
	c, err := scanClient(tx.QueryRowContext(ctx, "SELECT "+clientCols+" FROM clients WHERE id = ?", id))
	if err != nil {
		return Client{}, wrap(fmt.Sprintf("client %d", id), err)
	}
	oldCode := c.Code
	if err := s.applyClient(&c, in); err != nil {
		return Client{}, err
	}
	_, err = tx.ExecContext(ctx, "UPDATE clients SET name = ?, code = ?, note = ? WHERE id = ?", c.Name, c.Code, c.Note, c.ID)
	if err != nil {
		return Client{}, wrap("change client", err)
	}
	if c.Code != oldCode {
		// A new code ends what the old one opened, as a new PIN does.
		// The photographer's previews were not opened with a code.
		_, err = tx.ExecContext(ctx, "DELETE FROM sessions WHERE client_id = ? AND preview = 0", c.ID)
	}
	return c, wrap("end old code's sessions", err)
}

// SaveClient creates a client login (id 0) or changes one, and makes the
// galleries it is granted exactly grants, in one transaction: when any
// part fails, nothing is saved.
func (s *Store) SaveClient(ctx context.Context, id int64, in ClientInput, grants []string) (Client, error) {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if id == 0 {
			id, err = s.insertClient(ctx, tx, in)
		} else {
			_, err = s.updateClient(ctx, tx, id, in)
		}
		if err != nil {
			return err
		}
		var had []string
		rows, err := tx.QueryContext(ctx, `SELECT g.slug FROM client_galleries cg JOIN galleries g ON g.id = cg.gallery_id
			WHERE cg.client_id = ?`, id)
		if err != nil {
			return wrap("list grants", err)
		}
		defer rows.Close()
		for rows.Next() {
			var slug string
			if err := rows.Scan(&slug); err != nil {
				return wrap("list grants", err)
			}
			had = append(had, slug)
		}
		if err := rows.Err(); err != nil {
			return wrap("list grants", err)
		}
		var add, remove []string
		for _, slug := range grants {
			if !slices.Contains(had, slug) {
				add = append(add, slug)
			}
		}
		for _, slug := range had {
			if !slices.Contains(grants, slug) {
				remove = append(remove, slug)
			}
		}
		if err := s.grantsTx(ctx, tx, id, add, true); err != nil {
			return wrap("change grants", err)
		}
		return wrap("change grants", s.grantsTx(ctx, tx, id, remove, false))
	})
	if err != nil {
		return Client{}, err
	}
	return s.ClientByID(ctx, id)
}

const clientCols = `id, name, code, note, created_at, last_seen_at`

func scanClient(row scanner) (Client, error) {
	var c Client
	var created int64
	var seen sql.NullInt64
	err := row.Scan(&c.ID, &c.Name, &c.Code, &c.Note, &created, &seen)
	c.CreatedAt, c.LastSeenAt = time.Unix(created, 0), fromUnix(seen)
	return c, err
}

// ClientByID finds a client by id.
func (s *Store) ClientByID(ctx context.Context, id int64) (Client, error) {
	c, err := scanClient(s.r.QueryRowContext(ctx, "SELECT "+clientCols+" FROM clients WHERE id = ?", id))
	if err != nil {
		return Client{}, wrap(fmt.Sprintf("client %d", id), err)
	}
	return c, s.fillGrants(ctx, &c)
}

// ClientByCode finds a client by access code as typed (case, spaces and
// dashes ignored).
func (s *Store) ClientByCode(ctx context.Context, code string) (Client, error) {
	c, err := scanClient(s.r.QueryRowContext(ctx, "SELECT "+clientCols+" FROM clients WHERE code = ?", NormalizeCode(code)))
	if err != nil {
		return Client{}, wrap("client with that code", err)
	}
	return c, s.fillGrants(ctx, &c)
}

// Client finds a client by id or access code, as given on a command line.
func (s *Store) Client(ctx context.Context, ref string) (Client, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		c, err := s.ClientByID(ctx, id)
		if err == nil || !errors.Is(err, ErrNotFound) {
			return c, err
		}
	}
	c, err := s.ClientByCode(ctx, ref)
	if errors.Is(err, ErrNotFound) {
		return Client{}, notFoundf("client %q: no client has that id or code", ref)
	}
	return c, err
}

// Clients lists every client login by name.
func (s *Store) Clients(ctx context.Context) ([]Client, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+clientCols+" FROM clients ORDER BY name COLLATE NOCASE, id")
	if err != nil {
		return nil, wrap("list clients", err)
	}
	var out []Client
	for rows.Next() {
		c, err := scanClient(rows)
		if err != nil {
			rows.Close()
			return nil, wrap("list clients", err)
		}
		out = append(out, c)
	}
	rows.Close()
	// Every client's grants in one query, not one query per client.
	rows, err = s.r.QueryContext(ctx, `SELECT cg.client_id, g.slug FROM client_galleries cg JOIN galleries g ON g.id = cg.gallery_id
		ORDER BY cg.client_id, cg.created_at, g.id`)
	if err != nil {
		return nil, wrap("list grants", err)
	}
	defer rows.Close()
	grants := map[int64][]string{}
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return nil, wrap("list grants", err)
		}
		grants[id] = append(grants[id], slug)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap("list grants", err)
	}
	for i := range out {
		out[i].Galleries = grants[out[i].ID]
	}
	return out, nil
}

func (s *Store) fillGrants(ctx context.Context, c *Client) error {
	rows, err := s.r.QueryContext(ctx, `SELECT g.id, g.slug FROM client_galleries cg JOIN galleries g ON g.id = cg.gallery_id
		WHERE cg.client_id = ? ORDER BY cg.created_at, g.id`, c.ID)
	if err != nil {
		return wrap("list grants", err)
	}
	defer rows.Close()
	c.Galleries, c.GalleryIDs = nil, nil
	for rows.Next() {
		var id int64
		var slug string
		if err := rows.Scan(&id, &slug); err != nil {
			return wrap("list grants", err)
		}
		c.Galleries = append(c.Galleries, slug)
		c.GalleryIDs = append(c.GalleryIDs, id)
	}
	return wrap("list grants", rows.Err())
}

// Grant lets a client open galleries without their PINs. All or nothing.
func (s *Store) Grant(ctx context.Context, clientID int64, slugs ...string) error {
	return s.grants(ctx, clientID, slugs, true)
}

// Revoke takes galleries away from a client. All or nothing.
func (s *Store) Revoke(ctx context.Context, clientID int64, slugs ...string) error {
	return s.grants(ctx, clientID, slugs, false)
}

func (s *Store) grants(ctx context.Context, clientID int64, slugs []string, grant bool) error {
	err := s.tx(ctx, func(tx *sql.Tx) error { return s.grantsTx(ctx, tx, clientID, slugs, grant) })
	return wrap("change grants", err)
}

func (s *Store) grantsTx(ctx context.Context, tx *sql.Tx, clientID int64, slugs []string, grant bool) error {
	now := s.Now().Unix()
	var n int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM clients WHERE id = ?", clientID).Scan(&n); err != nil {
		return err
	}
	if n == 0 {
		return notFoundf("client %d not found", clientID)
	}
	for _, slug := range slugs {
		var gid int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM galleries WHERE slug = ?", slug).Scan(&gid)
		if errors.Is(err, sql.ErrNoRows) {
			return noGallery(slug)
		}
		if err != nil {
			return err
		}
		if grant {
			_, err = tx.ExecContext(ctx, "INSERT OR IGNORE INTO client_galleries (client_id, gallery_id, created_at) VALUES (?, ?, ?)", clientID, gid, now)
		} else {
			_, err = tx.ExecContext(ctx, "DELETE FROM client_galleries WHERE client_id = ? AND gallery_id = ?", clientID, gid)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// ClientGalleries lists what a client login opens: the granted galleries
// and their sub-galleries (granting a parent grants its children).
func (s *Store) ClientGalleries(ctx context.Context, clientID int64) ([]Gallery, error) {
	return s.galleries(ctx, `WHERE g.id IN (SELECT gallery_id FROM client_galleries WHERE client_id = ?)
		OR g.parent_id IN (SELECT gallery_id FROM client_galleries WHERE client_id = ?)
		ORDER BY COALESCE(NULLIF(g.event_date, ''), date(g.created_at, 'unixepoch')) DESC, g.id DESC`, clientID, clientID)
}

// TouchClient records a client's visit.
func (s *Store) TouchClient(ctx context.Context, id int64) error {
	_, err := s.w.ExecContext(ctx, "UPDATE clients SET last_seen_at = ? WHERE id = ?", s.Now().Unix(), id)
	return wrap("touch client", err)
}

// DeleteClient removes a client login, its grants and sessions.
func (s *Store) DeleteClient(ctx context.Context, id int64) error {
	res, err := s.w.ExecContext(ctx, "DELETE FROM clients WHERE id = ?", id)
	if err != nil {
		return wrap("delete client", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFoundf("delete client %d: not found", id)
	}
	return nil
}
