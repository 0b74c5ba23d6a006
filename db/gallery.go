package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Access says who may see and download a gallery.
type Access string

const (
	Inherit     Access = "" // a sub-gallery that follows its parent
	Public      Access = "public"
	PINAccess   Access = "pin"
	DownloadPIN Access = "download-pin"
)

// ParseAccess checks a value given by the photographer.
func ParseAccess(s string) (Access, error) {
	switch a := Access(s); a {
	case Public, PINAccess, DownloadPIN:
		return a, nil
	case "inherit":
		return Inherit, nil
	}
	return "", invalidf("access %q: use public, pin or download-pin", s)
}

// Downloads says what clients may download.
type Downloads string

const (
	DownloadsOff      Downloads = "off"
	DownloadsWeb      Downloads = "web"
	DownloadsOriginal Downloads = "original"
)

// ParseDownloads checks a value given by the photographer.
func ParseDownloads(s string) (Downloads, error) {
	switch d := Downloads(s); d {
	case DownloadsOff, DownloadsWeb, DownloadsOriginal:
		return d, nil
	}
	return "", invalidf("downloads %q: use off, web or original", s)
}

// Gallery is a set of photos shared under one link.
type Gallery struct {
	ID          int64
	Slug        string
	Title       string
	Description string
	EventDate   string // YYYY-MM-DD or ""
	Access      Access // Inherit for a sub-gallery that follows its parent
	PIN         string
	PINVersion  int
	Downloads   Downloads
	ExpiresAt   time.Time // zero: never
	Published   bool
	Listed      bool
	NavigateUp  bool
	CoverID     int64 // 0: the first photo
	CoverOnPIN  bool  // the chosen cover shows on the PIN page too
	ParentID    int64 // 0: top level
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// Filled on reads.
	ParentSlug string
	Photos     int
	Bytes      int64
}

// Expired reports whether the gallery's expiry has passed at now.
func (g Gallery) Expired(now time.Time) bool {
	return !g.ExpiresAt.IsZero() && !now.Before(g.ExpiresAt)
}

// ExpiresOn is the last day the gallery is available, YYYY-MM-DD, or "".
func (g Gallery) ExpiresOn() string {
	if g.ExpiresAt.IsZero() {
		return ""
	}
	return g.ExpiresAt.Add(-time.Second).Local().Format(time.DateOnly)
}

// GalleryInput holds the settings to create or change; nil fields are
// left as they are (or get their defaults on create).
type GalleryInput struct {
	Title       *string
	Description *string
	EventDate   *string
	Access      *Access
	PIN         *string // PINAuto generates one
	Downloads   *Downloads
	Expires     *string // YYYY-MM-DD, "" or "never" clears
	Published   *bool
	Listed      *bool
	NavigateUp  *bool
	Parent      *string // slug, "" for top level
	CoverID     *int64  // 0 clears
	CoverOnPIN  *bool
	MaxPicks    *int // photos a visitor may pick here, sets included; 0: no limit
}

// ExpiryEnd turns a last day (YYYY-MM-DD, local time) into the moment the
// gallery closes: the midnight after that day.
func ExpiryEnd(day string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, day, time.Local)
	if err != nil {
		return time.Time{}, invalidf("expiry %q: use YYYY-MM-DD", day)
	}
	return d.AddDate(0, 0, 1), nil
}

const galleryCols = `g.id, g.slug, g.title, g.description, g.event_date, g.access, g.pin, g.pin_version,
	g.downloads, g.expires_at, g.published, g.listed, g.navigate_up, g.cover_photo_id, g.cover_on_pin, g.parent_id,
	g.created_at, g.updated_at, COALESCE(p.slug, ''),
	(SELECT COUNT(*) FROM photos WHERE gallery_id = g.id),
	(SELECT COALESCE(SUM(bytes), 0) FROM photos WHERE gallery_id = g.id)`

const galleryFrom = ` FROM galleries g LEFT JOIN galleries p ON p.id = g.parent_id `

const galleryBySlug = "SELECT " + galleryCols + galleryFrom + "WHERE g.slug = ?"

type scanner interface{ Scan(...any) error }

func scanGallery(row scanner) (Gallery, error) {
	var g Gallery
	var expires, cover, parent sql.NullInt64
	var created, updated int64
	err := row.Scan(&g.ID, &g.Slug, &g.Title, &g.Description, &g.EventDate, &g.Access, &g.PIN,
		&g.PINVersion, &g.Downloads, &expires, &g.Published, &g.Listed, &g.NavigateUp, &cover, &g.CoverOnPIN, &parent,
		&created, &updated, &g.ParentSlug, &g.Photos, &g.Bytes)
	g.ExpiresAt = fromUnix(expires)
	g.CoverID, g.ParentID = cover.Int64, parent.Int64
	g.CreatedAt, g.UpdatedAt = time.Unix(created, 0), time.Unix(updated, 0)
	return g, err
}

// Gallery finds a gallery by slug.
func (s *Store) Gallery(ctx context.Context, slug string) (Gallery, error) {
	g, err := scanGallery(s.r.QueryRowContext(ctx, galleryBySlug, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Gallery{}, noGallery(slug)
	}
	return g, wrap(fmt.Sprintf("gallery %q", slug), err)
}

// GalleryByID finds a gallery by id.
func (s *Store) GalleryByID(ctx context.Context, id int64) (Gallery, error) {
	g, err := scanGallery(s.r.QueryRowContext(ctx, "SELECT "+galleryCols+galleryFrom+"WHERE g.id = ?", id))
	return g, wrap(fmt.Sprintf("gallery %d", id), err)
}

// galleryLiteCols are galleryCols without the photo count and size, which
// cost a scan of the gallery's photos.
const galleryLiteCols = `g.id, g.slug, g.title, g.description, g.event_date, g.access, g.pin, g.pin_version,
	g.downloads, g.expires_at, g.published, g.listed, g.navigate_up, g.cover_photo_id, g.cover_on_pin, g.parent_id,
	g.created_at, g.updated_at, COALESCE(p.slug, ''), 0, 0`

// GallerySettings finds a gallery by slug without counting its photos
// (Photos and Bytes are left zero): the cheap lookup for a request that
// only needs the gallery's access rules.
func (s *Store) GallerySettings(ctx context.Context, slug string) (Gallery, error) {
	g, err := scanGallery(s.readRow(ctx, "SELECT "+galleryLiteCols+galleryFrom+"WHERE g.slug = ?", slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Gallery{}, noGallery(slug)
	}
	return g, wrap(fmt.Sprintf("gallery %q", slug), err)
}

// GallerySettingsByID is GallerySettings by id.
func (s *Store) GallerySettingsByID(ctx context.Context, id int64) (Gallery, error) {
	g, err := scanGallery(s.readRow(ctx, "SELECT "+galleryLiteCols+galleryFrom+"WHERE g.id = ?", id))
	return g, wrap(fmt.Sprintf("gallery %d", id), err)
}

// Galleries lists every gallery, newest first.
func (s *Store) Galleries(ctx context.Context) ([]Gallery, error) {
	return s.galleries(ctx, "ORDER BY g.created_at DESC, g.id DESC")
}

// Children lists a gallery's sub-galleries, oldest first.
func (s *Store) Children(ctx context.Context, parentID int64) ([]Gallery, error) {
	return s.galleries(ctx, "WHERE g.parent_id = ? ORDER BY g.created_at, g.id", parentID)
}

func (s *Store) galleries(ctx context.Context, where string, args ...any) ([]Gallery, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT "+galleryCols+galleryFrom+where, args...)
	if err != nil {
		return nil, wrap("list galleries", err)
	}
	defer rows.Close()
	var out []Gallery
	for rows.Next() {
		g, err := scanGallery(rows)
		if err != nil {
			return nil, wrap("list galleries", err)
		}
		out = append(out, g)
	}
	return out, wrap("list galleries", rows.Err())
}

// CreateGallery adds a gallery. Defaults: PIN access with a generated PIN
// (a sub-gallery follows its parent), original downloads, published.
func (s *Store) CreateGallery(ctx context.Context, in GalleryInput) (Gallery, error) {
	now := s.Now()
	g := Gallery{Access: PINAccess, PINVersion: 1, Downloads: DownloadsOriginal, Published: true}
	if in.Parent != nil && *in.Parent != "" && in.Access == nil {
		g.Access = Inherit
	}
	if in.Title == nil {
		return Gallery{}, invalidf("a title is required")
	}
	var id int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if err := applyGallery(ctx, tx, &g, in, now); err != nil {
			return err
		}
		if g.Access != Public && g.Access != Inherit && g.PIN == "" {
			g.PIN = GeneratePIN()
		}
		var err error
		if g.PINVersion, err = nextPINVersion(ctx, tx); err != nil {
			return err
		}
		for try := 0; ; try++ {
			g.Slug = NewSlug(g.Title)
			res, err := tx.ExecContext(ctx, `INSERT INTO galleries (slug, title, description, event_date,
				access, pin, pin_version, downloads, expires_at, published, listed, navigate_up,
				cover_photo_id, cover_on_pin, parent_id, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				g.Slug, g.Title, g.Description, g.EventDate, g.Access, g.PIN, g.PINVersion, g.Downloads,
				unix(g.ExpiresAt), g.Published, g.Listed, g.NavigateUp, nullID(g.CoverID), g.CoverOnPIN, nullID(g.ParentID),
				now.Unix(), now.Unix())
			if err != nil && try < 5 && errors.Is(wrap("", err), ErrConflict) {
				continue
			}
			if err != nil {
				return err
			}
			if id, err = res.LastInsertId(); err != nil {
				return err
			}
			return setMaxPicks(ctx, tx, id, in.MaxPicks)
		}
	})
	if err != nil {
		return Gallery{}, wrap("create gallery", err)
	}
	return s.GalleryByID(ctx, id)
}

// UpdateGallery changes a gallery's settings. newPIN generates a fresh PIN.
// Any change of PIN bumps pin_version, which ends the old PIN sessions.
func (s *Store) UpdateGallery(ctx context.Context, slug string, in GalleryInput, newPIN bool) (Gallery, error) {
	now := s.Now()
	var g Gallery
	err := s.tx(ctx, func(tx *sql.Tx) error {
		// Read inside the write transaction: a change made meanwhile must
		// not be overwritten with what was read before it.
		var err error
		g, err = scanGallery(tx.QueryRowContext(ctx, galleryBySlug, slug))
		if err != nil {
			return err
		}
		oldPIN := g.PIN
		if err := applyGallery(ctx, tx, &g, in, now); err != nil {
			return err
		}
		// A new PIN must differ from the old one, or pin_version stays and
		// the sessions it was meant to end stay open.
		for newPIN && g.PIN == oldPIN {
			g.PIN = GeneratePIN()
		}
		if (g.Access == PINAccess || g.Access == DownloadPIN) && g.PIN == "" {
			g.PIN = GeneratePIN()
		}
		if g.PIN != oldPIN {
			if g.PINVersion, err = nextPINVersion(ctx, tx); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE galleries SET title = ?, description = ?, event_date = ?,
			access = ?, pin = ?, pin_version = ?, downloads = ?, expires_at = ?, published = ?, listed = ?,
			navigate_up = ?, cover_photo_id = ?, cover_on_pin = ?, parent_id = ?, updated_at = ? WHERE id = ?`,
			g.Title, g.Description, g.EventDate, g.Access, g.PIN, g.PINVersion, g.Downloads,
			unix(g.ExpiresAt), g.Published, g.Listed, g.NavigateUp, nullID(g.CoverID), g.CoverOnPIN, nullID(g.ParentID),
			now.Unix(), g.ID)
		if err != nil {
			return err
		}
		return setMaxPicks(ctx, tx, g.ID, in.MaxPicks)
	})
	if err != nil {
		return Gallery{}, wrap(fmt.Sprintf("change gallery %q", slug), err)
	}
	return s.GalleryByID(ctx, g.ID)
}

// applyGallery validates in and copies it onto g.
func applyGallery(ctx context.Context, tx *sql.Tx, g *Gallery, in GalleryInput, now time.Time) error {
	if in.Title != nil {
		t := strings.TrimSpace(*in.Title)
		if t == "" {
			return invalidf("a title is required")
		}
		g.Title = t
	}
	if in.Description != nil {
		g.Description = strings.TrimSpace(*in.Description)
	}
	if in.EventDate != nil {
		d := strings.TrimSpace(*in.EventDate)
		if d != "" {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return invalidf("date %q: use YYYY-MM-DD", d)
			}
		}
		g.EventDate = d
	}
	if in.Parent != nil {
		g.ParentID = 0
		if *in.Parent != "" {
			var pid int64
			var grand sql.NullInt64
			err := tx.QueryRowContext(ctx, "SELECT id, parent_id FROM galleries WHERE slug = ?", *in.Parent).Scan(&pid, &grand)
			if errors.Is(err, sql.ErrNoRows) {
				return &kindError{fmt.Sprintf("parent gallery %q not found", *in.Parent), ErrNoGallery}
			}
			if err != nil {
				return err
			}
			if pid == g.ID && g.ID != 0 {
				return invalidf("a gallery cannot be its own parent")
			}
			if grand.Valid {
				return invalidf("parent gallery %q is itself a sub-gallery; one level of sub-galleries only", *in.Parent)
			}
			if g.ID != 0 {
				var kids int
				if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM galleries WHERE parent_id = ?", g.ID).Scan(&kids); err != nil {
					return err
				}
				if kids > 0 {
					return invalidf("this gallery has sub-galleries, so it cannot become one")
				}
			}
			g.ParentID = pid
		}
	}
	if in.Access != nil {
		if *in.Access == Inherit && g.ParentID == 0 {
			return invalidf("only a sub-gallery can inherit its access")
		}
		g.Access = *in.Access
	}
	if g.Access == Inherit && g.ParentID == 0 {
		g.Access = PINAccess
	}
	if in.PIN != nil {
		switch p := strings.TrimSpace(*in.PIN); p {
		case PINAuto:
			g.PIN = GeneratePIN()
		case "":
			if g.Access == PINAccess || g.Access == DownloadPIN {
				return invalidf("this access mode needs a PIN (4 to 12 digits, or auto)")
			}
			g.PIN = ""
		default:
			if err := ValidPIN(p); err != nil {
				return err
			}
			g.PIN = p
		}
	}
	if in.Downloads != nil {
		g.Downloads = *in.Downloads
	}
	if in.Expires != nil {
		switch e := strings.TrimSpace(*in.Expires); e {
		case "", "never":
			g.ExpiresAt = time.Time{}
		default:
			end, err := ExpiryEnd(e)
			if err != nil {
				return err
			}
			if !end.After(now) {
				return invalidf("expiry %s is in the past: choose a later day", e)
			}
			g.ExpiresAt = end
		}
	}
	if in.Published != nil {
		g.Published = *in.Published
	}
	if in.Listed != nil {
		g.Listed = *in.Listed
	}
	if in.NavigateUp != nil {
		g.NavigateUp = *in.NavigateUp
	}
	if in.CoverID != nil {
		if *in.CoverID != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM photos WHERE id = ? AND gallery_id = ?", *in.CoverID, g.ID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return notFoundf("cover photo %d is not in this gallery", *in.CoverID)
			}
		}
		g.CoverID = *in.CoverID
	}
	if in.CoverOnPIN != nil {
		g.CoverOnPIN = *in.CoverOnPIN
	}
	return nil
}

// DeleteGallery removes a gallery, its sub-galleries and everything hanging
// off them. It returns the content hashes no other gallery uses any more,
// whose files the caller may now delete.
func (s *Store) DeleteGallery(ctx context.Context, slug string) ([]string, error) {
	var orphans []string
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id int64
		if err := tx.QueryRowContext(ctx, "SELECT id FROM galleries WHERE slug = ?", slug).Scan(&id); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT sha256 FROM photos WHERE gallery_id IN
			(SELECT id FROM galleries WHERE id = ? OR parent_id = ?)`, id, id)
		if err != nil {
			return err
		}
		var shas []string
		for rows.Next() {
			var sha string
			if err := rows.Scan(&sha); err != nil {
				rows.Close()
				return err
			}
			shas = append(shas, sha)
		}
		rows.Close()
		if _, err := tx.ExecContext(ctx, "DELETE FROM galleries WHERE id = ?", id); err != nil {
			return err
		}
		for _, sha := range shas {
			var n int
			// The studio's logo is stored like a photo and may share its content.
			if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM photos WHERE sha256 = ?)
				+ (SELECT COUNT(*) FROM settings WHERE key = 'logo' AND substr(value, 1, 64) = ?)`, sha, sha).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				orphans = append(orphans, sha)
			}
		}
		return nil
	})
	return orphans, wrap(fmt.Sprintf("delete gallery %q", slug), err)
}

// nextPINVersion hands out a number never handed out before in this
// database, whatever was deleted since: a PIN session holds it, so a number
// seen again would let an old session pass for one opened with a new PIN.
func nextPINVersion(ctx context.Context, tx *sql.Tx) (int, error) {
	var v int
	err := tx.QueryRowContext(ctx, "UPDATE counters SET value = value + 1 WHERE name = 'pin_version' RETURNING value").Scan(&v)
	return v, err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}
