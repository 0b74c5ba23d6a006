package web

import (
	"io/fs"
	"net"
	"os"
	"syscall"
)

// corkable returns the raw connection of a plain TCP connection, for cork.
func corkable(c net.Conn) syscall.RawConn {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return nil
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return nil
	}
	return rc
}

// cork sets or clears TCP_CORK: while set, the kernel holds partial
// segments, so a response's headers (one write) and its file (sendfile)
// leave in full segments together, as nginx does with tcp_nopush,
// instead of the headers going out, and waking the client, alone.
// Clearing it sends what is held at once.
func cork(rc syscall.RawConn, on bool) {
	v := 0
	if on {
		v = 1
	}
	rc.Control(func(fd uintptr) {
		syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_CORK, v)
	})
}

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

// mapSmall maps a whole regular file of 1 to max bytes, read-only.
func mapSmall(path string, max int64) ([]byte, bool) {
	f, err := openFile(path)
	if err != nil {
		return nil, false
	}
	defer f.Close() // the mapping holds the file
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 || fi.Size() > max {
		return nil, false
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(fi.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, false
	}
	return b, true
}

func unmap(b []byte) { syscall.Munmap(b) }
