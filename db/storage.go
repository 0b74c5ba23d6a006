package db

import (
	"context"
	"errors"
)

// StorageURL is where the photo files are, as recorded by SetStorageURL:
// "" when nothing is recorded, which means the data folder's photos/.
func (s *Store) StorageURL(ctx context.Context) (string, error) {
	var u string
	err := s.r.QueryRowContext(ctx, "SELECT url FROM storage WHERE id = 1").Scan(&u)
	if err := wrap("storage", err); errors.Is(err, ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	return u, nil
}

// SetStorageURL records where the photo files are; "" records the
// default (the data folder's photos/).
func (s *Store) SetStorageURL(ctx context.Context, url string) error {
	var err error
	if url == "" {
		_, err = s.w.ExecContext(ctx, "DELETE FROM storage")
	} else {
		_, err = s.w.ExecContext(ctx, `INSERT INTO storage (id, url, changed_at) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET url = excluded.url, changed_at = excluded.changed_at`, url, s.Now().Unix())
	}
	return wrap("set storage", err)
}
