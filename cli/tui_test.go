package cli

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenLog: the TUI's log goes to pinhole.log in the data folder, handed
// to what it runs; the process's default logger is left as it was, since
// a command is not the process (the SSH server runs commands too).
func TestOpenLog(t *testing.T) {
	dir := t.TempDir()
	before := slog.Default()
	logger, closeLog, err := OpenLog(&Env{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if slog.Default() != before {
		t.Error("OpenLog changed the default logger")
	}
	logger.Info("replica caught up", "lag", "0s")
	closeLog()
	if slog.Default() != before {
		t.Error("the default logger changed after closing the log")
	}
	b, err := os.ReadFile(filepath.Join(dir, "pinhole.log"))
	if err != nil || !strings.Contains(string(b), "replica caught up") {
		t.Errorf("pinhole.log: %q, %v", b, err)
	}
}
