//go:build !linux

package server

import (
	"net"
	"os"
	"syscall"
)

func corkable(net.Conn) syscall.RawConn { return nil }

func cork(syscall.RawConn, bool) {}

func openFile(path string) (*os.File, error) { return os.Open(path) }
