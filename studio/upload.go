package studio

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"pinhole/db"
	"pinhole/media"
)

// UploadsAtOnce bounds the uploads decoded at the same time across all
// SSH sessions: decoding a large photo takes a lot of memory.
const UploadsAtOnce = 2

// Uploads imports files uploaded one at a time (over SFTP or scp) through
// the import pipeline, as pinhole import does: same validation, dedupe and
// renditions, at most UploadsAtOnce at once.
type Uploads struct {
	store *db.Store
	lib   *media.Library
	sem   chan struct{}
}

// NewUploads imports uploads into store and lib.
func NewUploads(store *db.Store, lib *media.Library) *Uploads {
	return &Uploads{store: store, lib: lib, sem: make(chan struct{}, UploadsAtOnce)}
}

// Import imports the file at path into the gallery with this slug; the
// file's base name is the photo's original name. Its error speaks of the
// upload, not of where it was staged.
func (u *Uploads) Import(ctx context.Context, slug, path string) error {
	select {
	case u.sem <- struct{}{}:
		defer func() { <-u.sem }()
	case <-ctx.Done():
		return ctx.Err()
	}
	sum, err := Import(ctx, u.store, u.lib, slug, []string{path}, media.Options{Workers: 1}, nil)
	if err != nil {
		return err
	}
	if len(sum.Failed) > 0 {
		// The staging folder means nothing to the photographer, and the
		// file's name is said once, by the upload that reports it.
		msg := strings.ReplaceAll(sum.Failed[0].Error, filepath.Dir(path)+string(filepath.Separator), "")
		return errors.New(strings.TrimPrefix(msg, "import "+filepath.Base(path)+": "))
	}
	return nil
}
