// Package testio holds what tests of several packages share: streams to
// read while they are written, the seeds of file-name fuzzers, folders of
// distinct photos, finding the programs they drive (skip, or fail on CI),
// running them, SSH keys and client options, free ports, certificates,
// reading a QR code off a terminal.
package testio

import (
	"bytes"
	"sync"
)

// Buffer is a bytes.Buffer that a command, a server or a logger may write
// while a test reads it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

// String is what was written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
