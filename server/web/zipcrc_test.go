package web

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pinhole/media"
)

// TestZip_CRCCache: a second archive of the same files takes the CRCs from
// the cache and is still valid; a file renamed into place with other bytes
// (a new modification time) gets its CRC computed again.
func TestZip_CRCCache(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "a.jpg")
	write := func(b []byte, mod time.Time) zipEntry {
		t.Helper()
		tmp := path + ".tmp"
		if err := os.WriteFile(tmp, b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(tmp, mod, mod); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, path); err != nil {
			t.Fatal(err)
		}
		return zipEntry{Name: "a.jpg", Key: "a.jpg", Size: int64(len(b)), Modified: mod, FileTime: mod}
	}
	check := func(e zipEntry, crcs *crcCache, want []byte) {
		t.Helper()
		folder, err := media.NewFolder(dir)
		if err != nil {
			t.Fatal(err)
		}
		l, err := layoutZip(t.Context(), folder, []zipEntry{e}, max32)
		if err != nil {
			t.Fatal(err)
		}
		l.crcs = crcs
		var buf bytes.Buffer
		if _, err := l.WriteTo(&buf, make([]byte, 4096)); err != nil {
			t.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		rc, err := zr.File[0].Open()
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc) // checks the CRC at the end
		rc.Close()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("read back: %v", err)
		}
	}
	crcs := &crcCache{}
	t1 := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	one := bytes.Repeat([]byte("one "), 5000)
	e := write(one, t1)
	check(e, crcs, one)
	if _, ok := crcs.get(e); !ok {
		t.Fatal("CRC not remembered")
	}
	check(e, crcs, one) // from the cache
	two := bytes.Repeat([]byte("two "), 5000)
	e2 := write(two, t1.Add(time.Second))
	if _, ok := crcs.get(e2); ok {
		t.Fatal("a replaced file's CRC came from the cache")
	}
	check(e2, crcs, two)
}
