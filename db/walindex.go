//go:build linux || darwin

package db

import (
	"errors"
	"os"
	"runtime/debug"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// walIndex is the -shm file mapped read-only, to read its header in a
// few loads instead of a system call.
type walIndex struct {
	f *os.File
	m []byte
}

func openWALIndex(path string) (*walIndex, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	const size = 4096
	fi, err := f.Stat()
	if err == nil && fi.Size() < size {
		err = errors.New("the WAL index is not initialised")
	}
	var m []byte
	if err == nil {
		m, err = syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return &walIndex{f: f, m: m}, nil
}

// header copies the WAL index header; ok is false when it is not whole
// (a commit was writing it), not initialised, or the file has shrunk
// under the mapping (which SQLite never does while a connection of ours
// is open, but a person might): that fault is caught, not fatal.
func (w *walIndex) header(hdr *[walHdrSize]byte) (ok bool) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	// Atomic loads keep the two copies' reads in order, as SQLite's own
	// reader does with a barrier: first copy, then second.
	words := (*[2 * walHdrSize / 4]uint32)(unsafe.Pointer(&w.m[0]))
	var a, b [walHdrSize / 4]uint32
	for range 3 {
		for i := range a {
			a[i] = atomic.LoadUint32(&words[i])
		}
		for i := range b {
			b[i] = atomic.LoadUint32(&words[len(a)+i])
		}
		h := (*[walHdrSize]byte)(unsafe.Pointer(&a))
		if a == b && h[12] == 1 { // isInit
			*hdr = *h
			return true
		}
	}
	return false
}

func (w *walIndex) close() error {
	return errors.Join(syscall.Munmap(w.m), w.f.Close())
}
