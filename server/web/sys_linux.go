package web

import (
	"net"
	"os"
	"syscall"

	"pinhole/media"
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

// mapSmall maps a whole regular file of 1 to max bytes, read-only; an
// object of a store other than files is read into memory.
func mapSmall(o media.Object, max int64) ([]byte, bool) {
	f, ok := o.(*os.File)
	if !ok {
		return readSmall(o, max)
	}
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

// unmap lets go of what mapSmall returned.
func unmap(b []byte) {
	if len(b) > 0 {
		syscall.Munmap(b) // fails harmlessly for a slice read into memory
	}
}
