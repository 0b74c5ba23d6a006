//go:build !linux

package web

import (
	"net"
	"syscall"

	"pinhole/media"
)

func corkable(net.Conn) syscall.RawConn { return nil }

func cork(syscall.RawConn, bool) {}

// mapSmall reads a whole object of 1 to max bytes (mapping is for Linux
// only).
func mapSmall(o media.Object, max int64) ([]byte, bool) { return readSmall(o, max) }

func unmap([]byte) {}
