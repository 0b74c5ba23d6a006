//go:build !linux

package server

import (
	"net"
	"syscall"
)

func corkable(net.Conn) syscall.RawConn { return nil }

func cork(syscall.RawConn, bool) {}
