package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// AdminKey is an SSH public key allowed to administer Pinhole.
type AdminKey struct {
	ID          int64
	Name        string
	PublicKey   string // authorized_keys format
	Fingerprint string // SHA256:…
	CreatedAt   time.Time
	LastUsedAt  time.Time
}

// AddAdminKey stores a key; the caller has parsed it and computed its fingerprint.
func (s *Store) AddAdminKey(ctx context.Context, k AdminKey) (AdminKey, error) {
	k.Name = strings.TrimSpace(k.Name)
	if k.Name == "" {
		return AdminKey{}, invalidf("add admin key: a name is required")
	}
	now := s.Now()
	res, err := s.w.ExecContext(ctx, "INSERT INTO admin_keys (name, public_key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
		k.Name, k.PublicKey, k.Fingerprint, now.Unix())
	if err != nil {
		err = wrap("add admin key", err)
		if errors.Is(err, ErrConflict) {
			return AdminKey{}, conflictf("add admin key %q: that name or key is already there", k.Name)
		}
		return AdminKey{}, err
	}
	k.ID, _ = res.LastInsertId()
	k.CreatedAt = time.Unix(now.Unix(), 0)
	return k, nil
}

// AdminKeys lists the admin keys by name.
func (s *Store) AdminKeys(ctx context.Context) ([]AdminKey, error) {
	rows, err := s.r.QueryContext(ctx, "SELECT id, name, public_key, fingerprint, created_at, last_used_at FROM admin_keys ORDER BY name")
	if err != nil {
		return nil, wrap("list admin keys", err)
	}
	defer rows.Close()
	var out []AdminKey
	for rows.Next() {
		k, err := scanAdminKey(rows)
		if err != nil {
			return nil, wrap("list admin keys", err)
		}
		out = append(out, k)
	}
	return out, wrap("list admin keys", rows.Err())
}

func scanAdminKey(row scanner) (AdminKey, error) {
	var k AdminKey
	var created int64
	var used sql.NullInt64
	err := row.Scan(&k.ID, &k.Name, &k.PublicKey, &k.Fingerprint, &created, &used)
	k.CreatedAt, k.LastUsedAt = time.Unix(created, 0), fromUnix(used)
	return k, err
}

// AdminKeyByFingerprint finds the admin key with this fingerprint and
// records its use.
func (s *Store) AdminKeyByFingerprint(ctx context.Context, fp string) (AdminKey, error) {
	k, err := scanAdminKey(s.r.QueryRowContext(ctx, "SELECT id, name, public_key, fingerprint, created_at, last_used_at FROM admin_keys WHERE fingerprint = ?", fp))
	if err != nil {
		return AdminKey{}, wrap("admin key "+fp, err)
	}
	_, err = s.w.ExecContext(ctx, "UPDATE admin_keys SET last_used_at = ? WHERE id = ?", s.Now().Unix(), k.ID)
	return k, wrap("admin key "+fp, err)
}

// RemoveAdminKey deletes an admin key by name.
func (s *Store) RemoveAdminKey(ctx context.Context, name string) error {
	res, err := s.w.ExecContext(ctx, "DELETE FROM admin_keys WHERE name = ?", name)
	if err != nil {
		return wrap("remove admin key", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return &kindError{fmt.Sprintf("remove admin key %q: no admin key has that name", name), ErrNoAdminKey}
	}
	return nil
}
