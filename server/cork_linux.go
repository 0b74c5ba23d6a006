package server

import (
	"net"
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
