package cli

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"pinhole/db"
	"pinhole/media"
	"pinhole/studio"
)

// Env is what a command runs with: its streams, and the store when it was
// opened by the caller (the SSH endpoint shares the server's store).
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Terminal       bool // Stdout is a terminal: progress bars and colours
	Remote         bool // run over SSH: no serve or tui, the data folder is fixed
	// Links is what the server running the commands was started with
	// that decides where links start (serve --base-url, where its website
	// answers); the zero value: the base-url setting (see studio.BaseURL).
	Links studio.Given

	DataDir string
	Store   *db.Store
	opened  bool // Store was opened here, so Close closes it
	// Storage is where the photo files are, as --storage or
	// $PINHOLE_STORAGE gave it: "" for what the database records (by
	// default the data folder's photos/).
	Storage string
	// Library is the photo files when the caller opened them (the SSH
	// endpoint shares the server's); else OpenLibrary opens them.
	Library *media.Library
	// StorageLater, when set, takes a bucket out of reach at start
	// instead of failing: OpenLibrary logs a warning there and opens the
	// library all the same (the website serves what it can, and the
	// photos once the bucket is back). Commands fail.
	StorageLater *slog.Logger
}

// Close closes what the commands opened.
func (e *Env) Close() {
	if e.opened && e.Store != nil {
		e.Store.Close()
		e.Store, e.opened = nil, false
	}
}

// OpenStore opens the database in the data folder on first use.
func (e *Env) OpenStore(ctx context.Context) (*db.Store, error) {
	if e.Store != nil {
		return e.Store, nil
	}
	s, err := db.Open(ctx, filepath.Join(e.DataDir, "pinhole.db"))
	if err != nil {
		return nil, err
	}
	e.Store, e.opened = s, true
	if e.Storage != "" {
		// Given, the storage is checked by every command (and recorded
		// by the first), not only by those that read photo files.
		if _, err := e.OpenLibrary(ctx); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// OpenLibrary opens the photo files where they are (see
// studio.OpenStorage) on first use: it needs the database, which records
// where that is.
func (e *Env) OpenLibrary(ctx context.Context) (*media.Library, error) {
	if e.Library != nil {
		return e.Library, nil
	}
	s, err := e.OpenStore(ctx)
	if err != nil {
		return nil, err
	}
	st, err := studio.OpenStorage(ctx, s, e.DataDir, e.Storage)
	if err != nil && (st == nil || e.StorageLater == nil) {
		return nil, err
	}
	if err != nil {
		e.StorageLater.Warn("the photo storage cannot be reached: pages are served, and photos once it is back", "err", err)
	}
	e.Library = media.New(st)
	return e.Library, nil
}

// DefaultDataDir is $PINHOLE_DATA, else $XDG_DATA_HOME/pinhole, else ~/.local/share/pinhole.
func DefaultDataDir(getenv func(string) string) string {
	if d := getenv("PINHOLE_DATA"); d != "" {
		return d
	}
	if d := getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "pinhole")
	}
	home := getenv("HOME")
	if home == "" {
		home, _ = os.UserHomeDir()
	}
	return filepath.Join(home, ".local", "share", "pinhole")
}
