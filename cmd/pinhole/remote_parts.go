package main

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"pinhole/db"
	"pinhole/media"
	"pinhole/server/sshd"
	"pinhole/studio"
	"pinhole/tui"
)

// The parts of the SSH endpoint that come from other packages.

// remoteTUI makes the TUI of an interactive SSH session: the same root
// model as pinhole tui, drawn with the session's renderer. baseURL is the
// address clients use, shown in the status bar; "" for the base-url setting.
func remoteTUI(store *db.Store, lib *media.Library, baseURL string) sshd.TUIFunc {
	return func(ctx context.Context, t sshd.Terminal) (tea.Model, []tea.ProgramOption) {
		m := tui.New(tui.Config{Context: ctx, Store: store, Library: lib, Renderer: t.Renderer, Output: t.Output, Term: t.Term, Address: baseURL, Remote: true})
		return m, tui.ProgramOptions()
	}
}

// importsAtOnce bounds the uploads decoded at the same time across all
// SSH sessions: decoding a large photo takes a lot of memory.
const importsAtOnce = 2

// remoteImport imports one uploaded file through the import pipeline, as
// pinhole import does: same validation, dedupe and renditions.
func remoteImport(store *db.Store, lib *media.Library) sshd.ImportFunc {
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
			// The staging folder means nothing to the photographer, and the
			// file's name is said once, by the upload that reports it.
			msg := strings.ReplaceAll(sum.Failed[0].Error, filepath.Dir(path)+string(filepath.Separator), "")
			return errors.New(strings.TrimPrefix(msg, "import "+filepath.Base(path)+": "))
		}
		return nil
	}
}
