package db

import (
	"context"
	"errors"
)

// ImportFolder is the folder the gallery's last import from the TUI read
// (SetImportFolder); "" when none is recorded.
func (s *Store) ImportFolder(ctx context.Context, slug string) (string, error) {
	var folder string
	err := s.r.QueryRowContext(ctx, `SELECT f.folder FROM import_folders f JOIN galleries g ON g.id = f.gallery_id
		WHERE g.slug = ?`, slug).Scan(&folder)
	if err := wrap("import folder of "+slug, err); errors.Is(err, ErrNotFound) {
		return "", nil
	} else if err != nil {
		return "", err
	}
	return folder, nil
}

// SetImportFolder records the folder an import into the gallery reads.
func (s *Store) SetImportFolder(ctx context.Context, slug, folder string) error {
	if folder == "" {
		return invalidf("import folder: empty")
	}
	res, err := s.w.ExecContext(ctx, `INSERT INTO import_folders (gallery_id, folder, at)
		SELECT id, ?, ? FROM galleries WHERE slug = ?
		ON CONFLICT (gallery_id) DO UPDATE SET folder = excluded.folder, at = excluded.at`, folder, s.Now().Unix(), slug)
	if err != nil {
		return wrap("set import folder of "+slug, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return noGallery(slug)
	}
	return nil
}
