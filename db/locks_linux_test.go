package db

import (
	"fmt"
	"os"
	"strings"
	"syscall"
	"testing"
)

// holdsLock reports whether this process holds a POSIX lock on the file,
// from /proc/locks.
func holdsLock(t *testing.T, path string) bool {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("/proc/locks")
	if err != nil {
		t.Fatal(err)
	}
	// "1: POSIX  ADVISORY  READ 1234 fd:01:5678 128 128"
	ino := fmt.Sprintf(":%d ", st.Ino)
	pid := fmt.Sprintf(" %d ", os.Getpid())
	for _, line := range strings.Split(string(b), "\n") {
		if strings.Contains(line, "POSIX") && strings.Contains(line, pid) && strings.Contains(line, ino) {
			return true
		}
	}
	return false
}
