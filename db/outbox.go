package db

import (
	"context"
	"database/sql"
	"time"
)

// Kinds of mail.
const (
	MailShare     = "share"     // a gallery's link, to a client
	MailSelection = "selection" // a selection was sent, to the photographer
	MailDigest    = "digest"    // a day's views and downloads, to the photographer
)

// Mail is one message in the outbox.
type Mail struct {
	ID        int64
	GalleryID int64
	Kind      string
	To        string
	Subject   string
	Body      string
	CreatedAt time.Time
	Attempts  int
	NextAt    time.Time
	SentAt    time.Time // zero until sent
	FailedAt  time.Time // zero unless given up
	LastError string
}

// QueueMail puts a message in the outbox, due now.
func (s *Store) QueueMail(ctx context.Context, m Mail) (Mail, error) {
	now := s.Now()
	m.CreatedAt, m.NextAt = time.Unix(now.Unix(), 0), time.Unix(now.Unix(), 0)
	res, err := s.w.ExecContext(ctx, `INSERT INTO outbox (gallery_id, kind, recipient, subject, body, created_at, next_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, nullID(m.GalleryID), m.Kind, m.To, m.Subject, m.Body, now.Unix(), now.Unix())
	if err != nil {
		return Mail{}, wrap("queue mail", err)
	}
	m.ID, _ = res.LastInsertId()
	return m, nil
}

const mailCols = `id, COALESCE(gallery_id, 0), kind, recipient, subject, body, created_at, attempts, next_at, sent_at, failed_at, last_error`

func scanMail(sc interface{ Scan(...any) error }) (Mail, error) {
	var m Mail
	var created, next int64
	var sent, failed sql.NullInt64
	err := sc.Scan(&m.ID, &m.GalleryID, &m.Kind, &m.To, &m.Subject, &m.Body, &created, &m.Attempts, &next, &sent, &failed, &m.LastError)
	m.CreatedAt, m.NextAt, m.SentAt, m.FailedAt = time.Unix(created, 0), time.Unix(next, 0), fromUnix(sent), fromUnix(failed)
	return m, err
}

// DueMail is the mail waiting to be sent whose time has come, oldest first.
func (s *Store) DueMail(ctx context.Context, limit int) ([]Mail, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT `+mailCols+` FROM outbox
		WHERE sent_at IS NULL AND failed_at IS NULL AND next_at <= ? ORDER BY next_at, id LIMIT ?`, s.Now().Unix(), limit)
	if err != nil {
		return nil, wrap("due mail", err)
	}
	defer rows.Close()
	var out []Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, wrap("due mail", err)
		}
		out = append(out, m)
	}
	return out, wrap("due mail", rows.Err())
}

// MailByID finds one message of the outbox.
func (s *Store) MailByID(ctx context.Context, id int64) (Mail, error) {
	m, err := scanMail(s.readRow(ctx, `SELECT `+mailCols+` FROM outbox WHERE id = ?`, id))
	return m, wrap("mail", err)
}

// ClaimMail takes a due message for sending until until, so that no
// other process sends it meanwhile; false if it is not due (any more).
func (s *Store) ClaimMail(ctx context.Context, id int64, until time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, `UPDATE outbox SET next_at = ? WHERE id = ? AND next_at <= ?
		AND sent_at IS NULL AND failed_at IS NULL`, until.Unix(), id, s.Now().Unix())
	if err != nil {
		return false, wrap("claim mail", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// MailSent records that a message went out.
func (s *Store) MailSent(ctx context.Context, id int64) error {
	_, err := s.w.ExecContext(ctx, "UPDATE outbox SET sent_at = ?, attempts = attempts + 1, last_error = '' WHERE id = ?", s.Now().Unix(), id)
	return wrap("mail sent", err)
}

// MailFailed records a failed try: the message waits until next, or, if
// next is zero, is given up.
func (s *Store) MailFailed(ctx context.Context, id int64, reason string, next time.Time) error {
	var err error
	if next.IsZero() {
		_, err = s.w.ExecContext(ctx, "UPDATE outbox SET attempts = attempts + 1, last_error = ?, failed_at = ? WHERE id = ?", reason, s.Now().Unix(), id)
	} else {
		_, err = s.w.ExecContext(ctx, "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_at = ? WHERE id = ?", reason, next.Unix(), id)
	}
	return wrap("mail failed", err)
}

// LastMail is when the last message of a kind for a gallery was queued
// (zero if never).
func (s *Store) LastMail(ctx context.Context, galleryID int64, kind string) (time.Time, error) {
	var at sql.NullInt64
	err := s.readRow(ctx, "SELECT MAX(created_at) FROM outbox WHERE gallery_id = ? AND kind = ?", galleryID, kind).Scan(&at)
	return fromUnix(at), wrap("last mail", err)
}
