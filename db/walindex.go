//go:build linux || darwin

package db

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"unsafe"
)

// walIndex is a read-only mapping of a database's -shm file, to read the
// WAL index header in a few loads instead of a query.
//
// SQLite locks the -shm file with POSIX record locks, which belong to the
// process: closing any descriptor of the file drops every lock the process
// holds on it, SQLite's included. So there is one walIndex per database
// in the process, shared by its stores, and its descriptor is closed only
// when the last of those stores has closed its SQLite connections.
type walIndex struct {
	path string   // the database, symbolic links resolved as SQLite does
	refs int      // open stores of the database; guarded by walIndexes
	f    *os.File // nil until opened; guarded by walIndexes
	m    []byte   // the first page, set once with f
}

var walIndexes = struct {
	sync.Mutex
	m map[string]*walIndex
}{m: map[string]*walIndex{}}

// acquireWALIndex counts one more open store of the database at path and
// returns its index, not yet mapped.
func acquireWALIndex(path string) *walIndex {
	if p, err := filepath.EvalSymlinks(path); err == nil {
		path = p
	}
	if p, err := filepath.Abs(path); err == nil {
		path = p
	}
	walIndexes.Lock()
	defer walIndexes.Unlock()
	w := walIndexes.m[path]
	if w == nil {
		w = &walIndex{path: path}
		walIndexes.m[path] = w
	}
	w.refs++
	return w
}

// release counts one store fewer; the last one unmaps and closes. It must
// come after the store's SQLite connections are closed.
func (w *walIndex) release() {
	walIndexes.Lock()
	defer walIndexes.Unlock()
	if w.refs--; w.refs > 0 {
		return
	}
	delete(walIndexes.m, w.path)
	if w.m != nil {
		syscall.Munmap(w.m)
	}
	if w.f != nil {
		w.f.Close()
	}
}

// open maps the -shm file, once SQLite has made it, and reports whether
// the mapping is there. A descriptor once open stays open (see walIndex).
func (w *walIndex) open() bool {
	walIndexes.Lock()
	defer walIndexes.Unlock()
	if w.f != nil {
		return w.m != nil
	}
	f, err := os.Open(w.path + "-shm")
	if err != nil {
		return false
	}
	w.f = f
	const size = 4096
	if fi, err := f.Stat(); err != nil || fi.Size() < size {
		return false // SQLite's own is 32 kB from its first use
	}
	m, err := syscall.Mmap(int(f.Fd()), 0, size, syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return false
	}
	w.m = m
	return true
}

// header copies the WAL index header; ok is false when it is not whole
// (a commit was writing it), not initialised, or the file has shrunk
// under the mapping (which SQLite does not do while the database is open
// here, but a person might): that fault is caught, not fatal.
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
