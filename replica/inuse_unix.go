//go:build linux || darwin

package replica

import (
	"os"
	"syscall"
)

// inUse tells whether another process has the SQLite database at dbPath
// open: every connection to a WAL database holds a shared lock on one
// byte of its -shm file (SQLite's DMS slot, byte 128) while it is open.
// Locks held by this process are not seen, and closing the file here
// would drop them, so it is only asked before this process opens it.
func inUse(dbPath string) bool {
	f, err := os.OpenFile(dbPath+"-shm", os.O_RDONLY, 0)
	if err != nil {
		return false
	}
	defer f.Close()
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: 128, Len: 1}
	if err := syscall.FcntlFlock(f.Fd(), syscall.F_GETLK, &lk); err != nil {
		return false
	}
	return lk.Type != syscall.F_UNLCK
}
