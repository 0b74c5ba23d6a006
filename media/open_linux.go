package media

import (
	"io/fs"
	"os"
	"syscall"
)

// openFile opens a file for reading with one openat: os.Open also tries,
// and fails, to register a regular file with the network poller (three
// more system calls), which a file sent by sendfile does not need.
func openFile(path string) (*os.File, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}
