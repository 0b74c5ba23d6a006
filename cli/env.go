package cli

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"time"

	"pinhole/db"
	"pinhole/media"
)

// Env is what a command runs with: its streams, and the store when it was
// opened by the caller (the SSH endpoint shares the server's store).
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Terminal       bool // Stdout is a terminal: progress bars and colours
	Remote         bool // run over SSH: no serve or tui, the data folder is fixed
	// FollowEvery is how often activity --follow looks for new events;
	// 0: every second.
	FollowEvery time.Duration

	DataDir string
	Store   *db.Store
	opened  bool // Store was opened here, so Close closes it
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
	return s, nil
}

// Library opens the photo files' folder in the data folder.
func (e *Env) Library() (*media.Library, error) {
	return media.Open(filepath.Join(e.DataDir, "photos"))
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
