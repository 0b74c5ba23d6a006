//go:build linux || darwin

package db

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWALIndex_Header: a whole header is read; a torn one (the two
// copies differ, as while a commit writes them), an uninitialised one,
// and a file cut short under the mapping read as "no header", without a
// crash.
func TestWALIndex_Header(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x-shm")
	b := make([]byte, 32<<10)
	for i := range walHdrSize {
		b[i] = byte(i + 1)
	}
	b[12] = 1 // isInit
	copy(b[walHdrSize:], b[:walHdrSize])
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := openWALIndex(path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.close()
	var hdr [walHdrSize]byte
	if !w.header(&hdr) || [walHdrSize]byte(b[:walHdrSize]) != hdr {
		t.Fatalf("whole header: got %v", hdr)
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
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
	write(walHdrSize+20, 0xEE) // the second copy's mxFrame moves first
	if w.header(&hdr) {
		t.Error("torn header read as whole")
	}
	write(20, 0xEE)
	if !w.header(&hdr) || hdr[20] != 0xEE {
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
