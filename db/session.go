package db

import (
	"context"
	"database/sql"
	"time"
)

// Session is a visitor's cookie: a PIN session for one gallery, or a
// client login session. Only the token's hash is stored.
type Session struct {
	ID           int64
	GalleryID    int64 // PIN session: the gallery it opened
	ClientID     int64 // client login session
	PINGalleryID int64 // PIN session: the gallery whose PIN was typed (GalleryID or its parent)
	PINVersion   int   // that gallery's pin_version when the PIN was typed
	VisitorName  string
	Preview      bool // a photographer's "see what the client sees" link
	CreatedAt    time.Time
	ExpiresAt    time.Time
	LastSeenAt   time.Time
}

// CreateSession stores a new session and returns its token, which is shown
// once (in the cookie) and never stored.
func (s *Store) CreateSession(ctx context.Context, sess Session) (string, Session, error) {
	token := NewToken()
	now := s.Now()
	sess.CreatedAt, sess.LastSeenAt = time.Unix(now.Unix(), 0), time.Unix(now.Unix(), 0)
	res, err := s.w.ExecContext(ctx, `INSERT INTO sessions (token_hash, gallery_id, client_id, pin_gallery_id,
		pin_version, visitor_name, preview, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		hashToken(token), nullID(sess.GalleryID), nullID(sess.ClientID), nullID(sess.PINGalleryID), sess.PINVersion, sess.VisitorName,
		sess.Preview, now.Unix(), sess.ExpiresAt.Unix(), now.Unix())
	if err != nil {
		return "", Session{}, wrap("create session", err)
	}
	sess.ID, _ = res.LastInsertId()
	return token, sess, nil
}

// SessionByToken finds a live (not expired) session by its cookie token.
func (s *Store) SessionByToken(ctx context.Context, token string) (Session, error) {
	var sess Session
	var gid, cid, pgid sql.NullInt64
	var created, expires, seen int64
	err := s.readRow(ctx, `SELECT id, gallery_id, client_id, pin_gallery_id, pin_version, visitor_name, preview,
		created_at, expires_at, last_seen_at FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		hashToken(token), s.Now().Unix()).Scan(&sess.ID, &gid, &cid, &pgid, &sess.PINVersion, &sess.VisitorName,
		&sess.Preview, &created, &expires, &seen)
	if err != nil {
		return Session{}, wrap("session", err)
	}
	sess.GalleryID, sess.ClientID, sess.PINGalleryID = gid.Int64, cid.Int64, pgid.Int64
	sess.CreatedAt, sess.ExpiresAt, sess.LastSeenAt = time.Unix(created, 0), time.Unix(expires, 0), time.Unix(seen, 0)
	return sess, nil
}

// TouchSession records activity and moves the expiry (sliding sessions).
func (s *Store) TouchSession(ctx context.Context, id int64, expires time.Time) error {
	_, err := s.w.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?", s.Now().Unix(), expires.Unix(), id)
	return wrap("touch session", err)
}

// SetVisitorName keeps the first name a PIN visitor gave for favourites.
func (s *Store) SetVisitorName(ctx context.Context, id int64, name string) error {
	_, err := s.w.ExecContext(ctx, "UPDATE sessions SET visitor_name = ? WHERE id = ?", name, id)
	return wrap("name session", err)
}

// DeleteSession ends a session (log out).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	_, err := s.w.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", hashToken(token))
	return wrap("delete session", err)
}

// DeleteExpiredSessions removes sessions past their expiry.
func (s *Store) DeleteExpiredSessions(ctx context.Context) (int64, error) {
	res, err := s.w.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", s.Now().Unix())
	if err != nil {
		return 0, wrap("delete expired sessions", err)
	}
	n, _ := res.RowsAffected()
	return n, nil
}
