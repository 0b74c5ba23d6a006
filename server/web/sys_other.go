//go:build !linux

package web

import (
	"io"
	"net"
	"os"
	"syscall"
)

func corkable(net.Conn) syscall.RawConn { return nil }

func cork(syscall.RawConn, bool) {}

func openFile(path string) (*os.File, error) { return os.Open(path) }

// mapSmall reads a whole regular file of 1 to max bytes (mapping is for
// Linux only).
func mapSmall(path string, max int64) ([]byte, bool) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 || fi.Size() > max {
		return nil, false
	}
	b := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, false
	}
	return b, true
}

func unmap([]byte) {}
