package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"pinhole/db"
	"pinhole/media"
	"pinhole/server"
	"pinhole/studio"
)

// The parts of the SSH endpoint that come from other packages.

// remoteTUI makes the TUI of an interactive SSH session.
func remoteTUI(dataDir string, store *db.Store, lib *media.Library) server.TUIFunc { return nil }

// importsAtOnce bounds the uploads decoded at the same time across all
// SSH sessions: decoding a large photo takes a lot of memory.
const importsAtOnce = 2

// remoteImport imports one uploaded file through the import pipeline, as
// pinhole import does: same validation, dedupe and renditions.
func remoteImport(store *db.Store, lib *media.Library) server.ImportFunc {
	sem := make(chan struct{}, importsAtOnce)
	return func(ctx context.Context, slug, path string) error {
		select {
		case sem <- struct{}{}:
			defer func() { <-sem }()
		case <-ctx.Done():
			return ctx.Err()
		}
		sum, err := studio.Import(ctx, store, lib, slug, []string{path}, media.Options{Workers: 1}, nil)
		if err != nil {
			return err
		}
		if len(sum.Failed) > 0 {
			// The staging folder means nothing to the photographer.
			msg := strings.ReplaceAll(sum.Failed[0].Error, filepath.Dir(path)+string(filepath.Separator), "")
			return errors.New(msg)
		}
		return nil
	}
}
