package main

import (
	"pinhole/db"
	"pinhole/server"
)

// The parts of the SSH endpoint that come from other packages.

// remoteTUI makes the TUI of an interactive SSH session.
func remoteTUI(dataDir string, store *db.Store) server.TUIFunc { return nil }

// remoteImport imports one uploaded file through the import pipeline.
func remoteImport(dataDir string, store *db.Store) server.ImportFunc { return nil }

// originalPath says where a photo's original is stored.
func originalPath(dataDir string) func(sha string) string { return nil }
