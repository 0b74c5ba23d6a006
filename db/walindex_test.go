//go:build linux || darwin

package db

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestWALIndex_Header: a whole header is read; a torn one (the two
// copies differ, as while a commit writes them), an uninitialised one,
// and a file cut short under the mapping read as "no header", without a
// crash.
func TestWALIndex_Header(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	b := make([]byte, 32<<10)
	for i := range walHdrSize {
		b[i] = byte(i + 1)
	}
	b[12] = 1 // isInit
	copy(b[walHdrSize:], b[:walHdrSize])
	if err := os.WriteFile(path+"-shm", b, 0o644); err != nil {
		t.Fatal(err)
	}
	w := acquireWALIndex(path)
	defer w.release()
	if !w.open() {
		t.Fatal("not mapped")
	}
	var hdr [walHdrSize]byte
	if !w.header(&hdr) || [walHdrSize]byte(b[:walHdrSize]) != hdr {
		t.Fatalf("whole header: got %v", hdr)
	}
	f, err := os.OpenFile(path+"-shm", os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	write := func(off int64, p ...byte) {
		t.Helper()
		if _, err := f.WriteAt(p, off); err != nil {
			t.Fatal(err)
		}
	}
	write(walHdrSize+16, 0xEE) // the second copy's mxFrame moves first
	if w.header(&hdr) {
		t.Error("torn header read as whole")
	}
	write(16, 0xEE)
	if !w.header(&hdr) || hdr[16] != 0xEE {
		t.Errorf("header after the commit: %v", hdr)
	}
	write(12, 0)
	write(walHdrSize+12, 0)
	if w.header(&hdr) {
		t.Error("uninitialised header read")
	}
	if err := f.Truncate(0); err != nil {
		t.Fatal(err)
	}
	if w.header(&hdr) {
		t.Error("header read from a file cut to nothing")
	}
}

// TestWALIndex_Shared: stores of one database share one mapping, reached
// through a symbolic link too, and it is closed only when the last store
// closes; SQLite's locks on the -shm file outlive the other stores'
// closing (closing any descriptor of it would drop them: see walIndex).
func TestWALIndex_Shared(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "pinhole.db")
	a, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(t.TempDir(), "link.db")
	if err := os.Symlink(path, link); err != nil {
		t.Fatal(err)
	}
	b, err := Open(ctx, link)
	if err != nil {
		t.Fatal(err)
	}
	if a.changes.index != b.changes.index {
		t.Fatal("two mappings of one database")
	}
	for _, s := range []*Store{a, b} {
		if _, err := s.Generation(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if a.changes.shm == nil || b.changes.shm == nil {
		t.Fatal("not mapped")
	}
	held := func() bool { return holdsLock(t, path+"-shm") }
	if !held() {
		t.Fatal("no lock on the -shm file to begin with")
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if !held() {
		t.Fatal("closing one store dropped the other's locks on the -shm file")
	}
	if _, err := b.Generation(ctx); err != nil {
		t.Fatal(err)
	}
	key := b.changes.index.path
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	walIndexes.Lock()
	_, open := walIndexes.m[key]
	walIndexes.Unlock()
	if open {
		t.Error("the mapping outlived the last store")
	}
}
