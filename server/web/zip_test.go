package web

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"pinhole/db"
)

// TestZip_ReadBack: the archive reads back with archive/zip, every CRC
// checks, names are unique and safe, sizes and bytes equal the originals,
// and Content-Length equals the bytes sent.
func TestZip_ReadBack(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Smith / Jones wedding", db.GalleryInput{Access: new(db.Public)})
	names := []string{"IMG_0001.JPG", "IMG_0001.JPG", "img_0001.jpg", "Café été.jpg", "DSC..01.jpg"}
	want := map[string][]byte{}
	wantNames := []string{"IMG_0001.JPG", "IMG_0001 (2).JPG", "img_0001 (3).jpg", "Café été.jpg", "DSC.01.jpg"}
	photos := make([]db.Photo, len(names))
	for i, n := range names {
		photos[i] = f.addPhotoNamed(g, testPhotos[i], n)
	}
	got, _ := f.store.Photos(context.Background(), g.ID)
	// The archive follows the gallery's order.
	for i, p := range got {
		for j, q := range photos {
			if q.ID == p.ID {
				b, _ := os.ReadFile(testPhotos[j])
				want[fmt.Sprint(i)] = b
			}
		}
	}
	_ = wantNames
	resp, body := f.get(f.client(), "/g/"+g.Slug+"/zip")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if cl := resp.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
		t.Fatalf("Content-Length %s, body %d bytes", cl, len(body))
	}
	if cd := resp.Header.Get("Content-Disposition"); !bytes.Contains([]byte(cd), []byte(`filename="Smith _ Jones wedding.zip"`)) {
		t.Errorf("Content-Disposition %q", cd)
	}
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatal(err)
	}
	if len(zr.File) != len(names) {
		t.Fatalf("%d entries, want %d", len(zr.File), len(names))
	}
	seen := map[string]bool{}
	for i, zf := range zr.File {
		if zf.Method != zip.Store {
			t.Errorf("%s: method %d, want stored", zf.Name, zf.Method)
		}
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc) // checks the CRC at EOF
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", zf.Name, err)
		}
		if !bytes.Equal(b, want[fmt.Sprint(i)]) || zf.UncompressedSize64 != uint64(len(b)) {
			t.Errorf("%s: content differs from the original", zf.Name)
		}
		seen[zf.Name] = true
	}
	for _, n := range wantNames {
		if !seen[n] {
			t.Errorf("no entry %q in %v", n, seen)
		}
	}
}

func TestUniqueNames(t *testing.T) {
	got := uniqueNames([]string{"a.jpg", "A.JPG", "a.jpg", "a (2).jpg", "../b.jpg", "b.jpg"})
	want := []string{"a.jpg", "A (2).JPG", "a (3).jpg", "a (2) (2).jpg", "._b.jpg", "b.jpg"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// fakePhotos puts n photos of size bytes straight into the library and the
// store (distinct contents, so distinct hashes), for big-gallery tests.
func (f *fixture) fakePhotos(g db.Gallery, n, size int) {
	f.t.Helper()
	ctx := context.Background()
	buf := make([]byte, size)
	var rows []db.Photo
	for i := range n {
		copy(buf, fmt.Sprintf("photo %08d ", i))
		sum := sha256.Sum256(buf)
		sha := hex.EncodeToString(sum[:])
		for _, p := range []string{originalPath(f.lib, sha), thumbnailPath(f.lib, sha), previewPath(f.lib, sha)} {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				f.t.Fatal(err)
			}
			if err := os.WriteFile(p, buf, 0o644); err != nil {
				f.t.Fatal(err)
			}
		}
		rows = append(rows, db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%04d.JPG", i%1000),
			SHA256: sha, Bytes: int64(size), Width: 3000, Height: 2000})
	}
	if _, err := f.store.AddPhotos(ctx, rows); err != nil {
		f.t.Fatal(err)
	}
}

// TestZip_MemoryFlat: a 2,000-photo ZIP allocates little more than a
// 200-photo one: nothing grows with the bytes sent, only a few hundred
// bytes of directory per entry. Not parallel: it reads the process's
// allocation counters, which a browser test beside it would add to.
func TestZip_MemoryFlat(t *testing.T) {
	f := newFixture(t)
	const size = 16 << 10
	small := f.gallery("Small", db.GalleryInput{Access: new(db.Public)})
	f.fakePhotos(small, 200, size)
	big := f.gallery("Big", db.GalleryInput{Access: new(db.Public)})
	f.fakePhotos(big, 2000, size)
	measure := func(g db.Gallery) (alloc, peak uint64, sent int64) {
		c := f.client()
		resp, err := c.Get(f.srv.URL + "/g/" + g.Slug + "/zip")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		runtime.GC()
		var before, now runtime.MemStats
		runtime.ReadMemStats(&before)
		buf := make([]byte, 1<<20)
		for {
			n, err := io.ReadFull(resp.Body, buf)
			sent += int64(n)
			if sent%(8<<20) < int64(n) {
				runtime.ReadMemStats(&now)
				peak = max(peak, now.HeapInuse)
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&now)
		if resp.ContentLength != sent {
			t.Fatalf("Content-Length %d, sent %d", resp.ContentLength, sent)
		}
		return now.TotalAlloc - before.TotalAlloc, peak - min(peak, before.HeapInuse), sent
	}
	measure(small) // warm up pools
	a1, p1, n1 := measure(small)
	a2, p2, n2 := measure(big)
	t.Logf("200 photos: %d bytes sent, %d allocated, heap +%d; 2,000 photos: %d bytes sent, %d allocated, heap +%d", n1, a1, p1, n2, a2, p2)
	// The bytes sent grew tenfold; the heap must not follow them.
	if p2 > 16<<20 {
		t.Fatalf("heap grew by %d bytes during a 2,000-photo ZIP", p2)
	}
	if raceEnabled {
		return // sync.Pool drops buffers under the race detector
	}
	if a2 > 8<<20 {
		t.Fatalf("2,000-photo ZIP allocated %d bytes while streaming", a2)
	}
	if a2 > a1+uint64(2000*2048) {
		t.Fatalf("allocation grows with the gallery: %d → %d", a1, a2)
	}
}

// TestZip_Zip64: past 4 GiB the archive switches to ZIP64 offsets and
// end records. Streaming 4 GB in a test is too slow, so the threshold is
// lowered: the same records, written for small offsets, must read back.
func TestZip_Zip64(t *testing.T) {
	var entries []zipEntry
	var want [][]byte
	for i, p := range testPhotos {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, b)
		entries = append(entries, zipEntry{Name: fmt.Sprintf("photo%d.jpg", i), Key: repoKey(p), Size: int64(len(b)), Modified: time.Now()})
	}
	l, err := layoutZip(t.Context(), repoFiles(t), entries, 5000)
	if err != nil {
		t.Fatal(err)
	}
	if !l.zip64 {
		t.Fatal("want zip64 records")
	}
	var buf bytes.Buffer
	n, err := l.WriteTo(&buf, make([]byte, 4096))
	if err != nil || n != l.Size() || int64(buf.Len()) != n {
		t.Fatalf("wrote %d, announced %d: %v", n, l.Size(), err)
	}
	if !bytes.Contains(buf.Bytes(), []byte("PK\x06\x06")) || !bytes.Contains(buf.Bytes(), []byte("PK\x06\x07")) {
		t.Fatal("no ZIP64 end records")
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), n)
	if err != nil {
		t.Fatal(err)
	}
	for i, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || !bytes.Equal(b, want[i]) {
			t.Fatalf("%s: %v", zf.Name, err)
		}
	}
}

// TestZip_ChangedFile: a file that shrank after the length was announced
// fails the stream instead of sending a corrupt archive.
func TestZip_ChangedFile(t *testing.T) {
	b, _ := os.ReadFile(testPhotos[0])
	l, err := layoutZip(t.Context(), repoFiles(t), []zipEntry{{Name: "a.jpg", Key: repoKey(testPhotos[0]), Size: int64(len(b)) + 10}}, max32)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.WriteTo(io.Discard, make([]byte, 4096)); !errors.Is(err, errChanged) {
		t.Fatalf("err %v, want errChanged", err)
	}
}
