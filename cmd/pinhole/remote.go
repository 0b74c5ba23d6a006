package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"pinhole/db"
	"pinhole/media"
	"pinhole/server/sshd"
)

// sshServer makes the admin SSH endpoint over the open store: commands run
// through Run as remote commands, uploads go through the import pipeline.
// baseURL is the --base-url flag's, "" without it.
func sshServer(dataDir string, store *db.Store, lib *media.Library, baseURL string, log *slog.Logger) (*sshd.SSH, error) {
	return sshd.NewSSH(sshd.SSHConfig{
		HostKeyPath: filepath.Join(dataDir, sshd.HostKeyFile),
		Store:       store,
		Logger:      log,
		Exec:        remoteExec(dataDir, store),
		TUI:         remoteTUI(store, lib, baseURL),
		Import:      remoteImport(store, lib),
		Original:    lib.OriginalPath,
		StageDir:    filepath.Join(dataDir, "uploads"),
		// The hint to add a key names the data folder when it is not the default.
		AdminCommand: adminCommandLine(dataDir),
	})
}

// remoteExec runs one command line for an SSH session, with the server's
// store and data folder: the same commands, output and exit status as
// locally, minus the local-only ones.
func remoteExec(dataDir string, store *db.Store) sshd.ExecFunc {
	return func(ctx context.Context, c sshd.Command) int {
		env := &Env{
			Stdin:    c.Stdin,
			Stdout:   c.Stdout,
			Stderr:   c.Stderr,
			Getenv:   func(string) string { return "" },
			Terminal: c.Terminal,
			Remote:   true,
			DataDir:  dataDir,
			Store:    store,
		}
		return Run(ctx, env, c.Args)
	}
}

func adminCommandLine(dataDir string) string {
	if dataDir == DefaultDataDir(os.Getenv) {
		return "pinhole"
	}
	if abs, err := filepath.Abs(dataDir); err == nil {
		dataDir = abs
	}
	return "pinhole --data " + shellQuote(dataDir)
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+=:,@") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
