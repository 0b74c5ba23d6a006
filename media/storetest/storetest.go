// Package storetest holds the contract every photo store keeps: one suite,
// run against the local folder and against every other [media.Store], so
// that what the website, the import and doctor rely on is checked the same
// way everywhere.
package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"pinhole/media"
)

// Run runs the contract against stores made by open, which returns a new,
// empty store for each subtest.
func Run(t *testing.T, open func(t *testing.T) media.Store) {
	tests := []struct {
		name string
		fn   func(*testing.T, media.Store)
	}{
		{"PutOpen", testPutOpen},
		{"Seek", testSeek},
		{"Empty", testEmpty},
		{"Missing", testMissing},
		{"Replace", testReplace},
		{"FailedPut", testFailedPut},
		{"CancelledPut", testCancelledPut},
		{"PutInProgress", testPutInProgress},
		{"ReadersSeeWhole", testReadersSeeWhole},
		{"Delete", testDelete},
		{"List", testList},
		{"ListStop", testListStop},
		{"InvalidKeys", testInvalidKeys},
		{"Layout", testLayout},
		{"StatAll", testStatAll},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var ctx = context.Background()

// data is n bytes that differ from one offset to the next, seeded so that
// two objects differ.
func data(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7+i>>8) ^ seed
	}
	return b
}

func put(t *testing.T, s media.Store, key string, b []byte) {
	t.Helper()
	if err := s.Put(ctx, key, bytes.NewReader(b)); err != nil {
		t.Fatalf("Put(%s): %v", key, err)
	}
}

// ReadAll reads key whole, checking what Open's Stat says against it.
func ReadAll(t *testing.T, s media.Store, key string) []byte {
	t.Helper()
	o, err := s.Open(ctx, key)
	if err != nil {
		t.Fatalf("Open(%s): %v", key, err)
	}
	defer o.Close()
	fi, err := o.Stat()
	if err != nil {
		t.Fatalf("Open(%s).Stat: %v", key, err)
	}
	b, err := io.ReadAll(o)
	if err != nil {
		t.Fatalf("read %s: %v", key, err)
	}
	if fi.Size() != int64(len(b)) {
		t.Errorf("%s: Stat says %d bytes, read %d", key, fi.Size(), len(b))
	}
	return b
}

const key = "originals/ab/abcdef"

func testPutOpen(t *testing.T, s media.Store) {
	want := data(300<<10, 1)
	before := time.Now().Add(-2 * time.Second) // coarse clocks of a server
	put(t, s, key, want)
	if got := ReadAll(t, s, key); !bytes.Equal(got, want) {
		t.Fatalf("read back %d bytes, not what was put (%d)", len(got), len(want))
	}
	info, err := s.Stat(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if info.Key != key || info.Size != int64(len(want)) {
		t.Errorf("Stat = %+v, want key %s, %d bytes", info, key, len(want))
	}
	if info.ModTime.Before(before) || info.ModTime.After(time.Now().Add(time.Minute)) {
		t.Errorf("Stat modified %v, put at %v", info.ModTime, before)
	}
	o, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	fi, err := o.Stat()
	if err != nil || fi.Size() != info.Size || fi.IsDir() || !fi.ModTime().Equal(info.ModTime) && fi.ModTime().Sub(info.ModTime).Abs() > time.Second {
		t.Errorf("Object.Stat = %v (size %d, modified %v), Store.Stat %+v", err, fi.Size(), fi.ModTime(), info)
	}
	if s.Location(key) == "" || !strings.Contains(s.Location(key), "abcdef") {
		t.Errorf("Location(%s) = %q", key, s.Location(key))
	}
	if s.URL() == "" {
		t.Error("URL is empty")
	}
}

// testSeek: what http.ServeContent (Range) and a resumed ZIP do.
func testSeek(t *testing.T, s media.Store) {
	want := data(200<<10, 2)
	put(t, s, key, want)
	o, err := s.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	defer o.Close()
	size, err := o.Seek(0, io.SeekEnd)
	if err != nil || size != int64(len(want)) {
		t.Fatalf("Seek(0, end) = %d, %v", size, err)
	}
	for _, r := range [][2]int64{{0, 10}, {150000, 1000}, {int64(len(want)) - 5, 5}, {77, 100 << 10}, {0, int64(len(want))}} {
		if n, err := o.Seek(r[0], io.SeekStart); err != nil || n != r[0] {
			t.Fatalf("Seek(%d) = %d, %v", r[0], n, err)
		}
		got := make([]byte, r[1])
		if _, err := io.ReadFull(o, got); err != nil {
			t.Fatalf("read %d bytes at %d: %v", r[1], r[0], err)
		}
		if !bytes.Equal(got, want[r[0]:r[0]+r[1]]) {
			t.Errorf("bytes %d+%d differ", r[0], r[1])
		}
	}
	// Relative seeks, and a read at the end.
	o.Seek(10, io.SeekStart)
	if n, err := o.Seek(5, io.SeekCurrent); err != nil || n != 15 {
		t.Errorf("Seek(5, current) = %d, %v", n, err)
	}
	o.Seek(0, io.SeekEnd)
	if n, err := o.Read(make([]byte, 10)); n != 0 || err != io.EOF {
		t.Errorf("read at the end: %d, %v", n, err)
	}
	// ReadAt, as the ZIP's CRC and sftp read, in any order.
	for _, off := range []int64{190000, 0, 4096, int64(len(want)) - 1} {
		b := make([]byte, min(8192, int64(len(want))-off))
		if n, err := o.ReadAt(b, off); n != len(b) || err != nil && err != io.EOF {
			t.Fatalf("ReadAt(%d) = %d, %v", off, n, err)
		}
		if !bytes.Equal(b, want[off:off+int64(len(b))]) {
			t.Errorf("ReadAt(%d) differs", off)
		}
	}
	if n, err := o.ReadAt(make([]byte, 10), int64(len(want))-4); n != 4 || err != io.EOF {
		t.Errorf("ReadAt past the end = %d, %v; want 4, EOF", n, err)
	}
}

func testEmpty(t *testing.T, s media.Store) {
	put(t, s, key, nil)
	if got := ReadAll(t, s, key); len(got) != 0 {
		t.Errorf("empty object read back as %d bytes", len(got))
	}
	if info, err := s.Stat(ctx, key); err != nil || info.Size != 0 {
		t.Errorf("Stat = %+v, %v", info, err)
	}
}

func testMissing(t *testing.T, s media.Store) {
	if _, err := s.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open of nothing: %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of nothing: %v, want fs.ErrNotExist", err)
	}
	// A key below another object's key is nothing either.
	put(t, s, "originals/ab/file", []byte("x"))
	if _, err := s.Stat(ctx, "originals/ab/file/below"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat below an object: %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Open(ctx, "originals/ab/file/below"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open below an object: %v, want fs.ErrNotExist", err)
	}
	// Nor is a key that only prefixes others (a folder, for a folder).
	if _, err := s.Stat(ctx, "originals/ab"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a prefix: %v, want fs.ErrNotExist", err)
	}
}

func testReplace(t *testing.T, s media.Store) {
	put(t, s, key, data(100<<10, 3))
	want := data(50<<10, 4)
	put(t, s, key, want)
	if got := ReadAll(t, s, key); !bytes.Equal(got, want) {
		t.Errorf("after a second Put: %d bytes, not the second object", len(got))
	}
}

// failing yields some bytes, then an error.
type failing struct {
	r   io.Reader
	err error
}

func (f *failing) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

var errReader = errors.New("the source broke")

// testFailedPut: a source that breaks half way leaves nothing new.
func testFailedPut(t *testing.T, s media.Store) {
	err := s.Put(ctx, key, &failing{bytes.NewReader(data(100<<10, 5)), errReader})
	if !errors.Is(err, errReader) {
		t.Errorf("Put from a broken source: %v, want its error", err)
	}
	if _, err := s.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after a failed Put: Stat %v, want fs.ErrNotExist", err)
	}
	old := data(10<<10, 6)
	put(t, s, key, old)
	if err := s.Put(ctx, key, &failing{bytes.NewReader(data(100<<10, 7)), errReader}); err == nil {
		t.Error("Put from a broken source: no error")
	}
	if got := ReadAll(t, s, key); !bytes.Equal(got, old) {
		t.Errorf("a failed Put changed the object before it (%d bytes)", len(got))
	}
	if keys := list(t, s, ""); !slices.Equal(keys, []string{key}) {
		t.Errorf("after failed Puts the store lists %v", keys)
	}
}

// testCancelledPut: cancelling the context mid-Put leaves nothing.
func testCancelledPut(t *testing.T, s media.Store) {
	c, cancel := context.WithCancel(ctx)
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- s.Put(c, key, pr) }()
	pw.Write(data(64<<10, 8))
	cancel()
	go pw.Write(data(64<<10, 9)) // what a reader does while Put goes
	select {
	case err := <-done:
		if err == nil {
			t.Error("Put with its context cancelled: no error")
		}
	case <-time.After(30 * time.Second):
		pw.CloseWithError(errReader)
		t.Fatal("Put did not return after its context was cancelled")
	}
	pw.CloseWithError(errReader)
	if _, err := s.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("after a cancelled Put: Stat %v, want fs.ErrNotExist", err)
	}
}

// testPutInProgress: until Put returns, the key is not there for readers,
// nor in a list.
func testPutInProgress(t *testing.T, s media.Store) {
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- s.Put(ctx, key, pr) }()
	want := data(256<<10, 10)
	pw.Write(want[:128<<10])
	if _, err := s.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("half put: Stat %v, want fs.ErrNotExist", err)
	}
	if _, err := s.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("half put: Open %v, want fs.ErrNotExist", err)
	}
	if slices.Contains(list(t, s, ""), key) {
		t.Error("half put: List yields the key")
	}
	pw.Write(want[128<<10:])
	pw.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := ReadAll(t, s, key); !bytes.Equal(got, want) {
		t.Error("object put through a pipe differs")
	}
}

// testReadersSeeWhole: readers racing replacements see one object or the
// other, whole, never a mix or a part.
func testReadersSeeWhole(t *testing.T, s media.Store) {
	a, b := data(512<<10, 11), data(384<<10, 12)
	put(t, s, key, a)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				o, err := s.Open(ctx, key)
				if err != nil {
					t.Errorf("Open during replacements: %v", err)
					return
				}
				got, err := io.ReadAll(o)
				o.Close()
				if err != nil {
					t.Errorf("read during replacements: %v", err)
					return
				}
				if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
					t.Errorf("read %d bytes that are neither object", len(got))
					return
				}
			}
		}()
	}
	for i := range 6 {
		put(t, s, key, [][]byte{a, b}[i%2])
	}
	close(stop)
	wg.Wait()
}

func testDelete(t *testing.T, s media.Store) {
	put(t, s, key, []byte("photo"))
	put(t, s, "originals/ab/other", []byte("other"))
	if err := s.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open after Delete: %v", err)
	}
	if err := s.Delete(ctx, key); err != nil {
		t.Errorf("Delete of nothing: %v", err)
	}
	if got := ReadAll(t, s, "originals/ab/other"); string(got) != "other" {
		t.Errorf("Delete took its neighbour: %q", got)
	}
	// The last object of a prefix gone, a Put there still works.
	if err := s.Delete(ctx, "originals/ab/other"); err != nil {
		t.Fatal(err)
	}
	if keys := list(t, s, ""); len(keys) != 0 {
		t.Errorf("after deleting all: %v", keys)
	}
	put(t, s, key, []byte("again"))
	if got := ReadAll(t, s, key); string(got) != "again" {
		t.Errorf("Put after Delete: %q", got)
	}
}

// list returns List's keys, sorted.
func list(t *testing.T, s media.Store, prefix string) []string {
	t.Helper()
	var keys []string
	for info, err := range s.List(ctx, prefix) {
		if err != nil {
			t.Fatalf("List(%q): %v", prefix, err)
		}
		keys = append(keys, info.Key)
	}
	slices.Sort(keys)
	return keys
}

func testList(t *testing.T, s media.Store) {
	objects := map[string]int{
		"originals/ab/ab01":     3,
		"originals/ab/ab02":     5,
		"originals/cd/cd01":     7,
		"previews/ab/ab01.jpg":  11,
		"small/ab/ab01.jpg":     13,
		"smallish/zz/other.jpg": 17,
	}
	for k, n := range objects {
		put(t, s, k, data(n, 13))
	}
	all := slices.Sorted(maps.Keys(objects))
	for _, tt := range []struct {
		prefix string
		want   []string
	}{
		{"", all},
		{"originals/", all[:3]},
		{"originals/ab/", all[:2]},
		{"originals/a", all[:2]},
		{"originals/ab/ab0", all[:2]},
		{"originals/ab/ab01", all[:1]},
		{"small/", []string{"small/ab/ab01.jpg"}},
		{"small", []string{"small/ab/ab01.jpg", "smallish/zz/other.jpg"}},
		{"thumbs/", nil},
		{"originals/ef/", nil},
		{"z", nil},
	} {
		if got := list(t, s, tt.prefix); !slices.Equal(got, tt.want) {
			t.Errorf("List(%q) = %v, want %v", tt.prefix, got, tt.want)
		}
	}
	for info, err := range s.List(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		if info.Size != int64(objects[info.Key]) || info.ModTime.IsZero() {
			t.Errorf("List yields %+v, want %d bytes and a time", info, objects[info.Key])
		}
	}
}

// testListStop: a caller may stop early, and a store with many objects
// lists them all (a bucket's pages).
func testListStop(t *testing.T, s media.Store) {
	const n = 1100 // more than one page of a bucket's listing
	var wg sync.WaitGroup
	sem := make(chan struct{}, 16)
	for i := range n {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if err := s.Put(ctx, fmt.Sprintf("originals/%02x/%04d", i%256, i), bytes.NewReader([]byte{byte(i)})); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if got := list(t, s, "originals/"); len(got) != n {
		t.Errorf("listed %d objects, put %d", len(got), n)
	}
	seen := 0
	for _, err := range s.List(ctx, "") {
		if err != nil {
			t.Fatal(err)
		}
		if seen++; seen == 3 {
			break
		}
	}
}

func testInvalidKeys(t *testing.T, s media.Store) {
	for _, k := range []string{"", ".", "..", "../x", "/abs/x", "a//b", "a/./b", "a/../b", "a/", "originals/../../x"} {
		if err := s.Put(ctx, k, strings.NewReader("x")); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Put(%q): %v, want fs.ErrInvalid", k, err)
		}
		if _, err := s.Open(ctx, k); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Open(%q): %v, want fs.ErrInvalid", k, err)
		}
		if _, err := s.Stat(ctx, k); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Stat(%q): %v, want fs.ErrInvalid", k, err)
		}
		if err := s.Delete(ctx, k); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("Delete(%q): %v, want fs.ErrInvalid", k, err)
		}
	}
	if keys := list(t, s, ""); len(keys) != 0 {
		t.Errorf("invalid keys stored %v", keys)
	}
}

// testLayout: the keys of a photo's files, as the import writes them.
func testLayout(t *testing.T, s media.Store) {
	sha := strings.Repeat("0123456789abcdef", 4)
	for i, k := range media.Keys(sha) {
		put(t, s, k, data(1000+i, byte(i)))
	}
	for i, k := range media.Keys(sha) {
		if got := ReadAll(t, s, k); !bytes.Equal(got, data(1000+i, byte(i))) {
			t.Errorf("%s differs", k)
		}
	}
	if got := list(t, s, ""); len(got) != len(media.Keys(sha)) {
		t.Errorf("listed %v", got)
	}
}

// testStatAll: media.StatAll says what Stat says of every key, in order,
// whichever way the store asks (a bucket lists folders with several keys);
// a key that holds nothing, even in a folder with others, fails it.
func testStatAll(t *testing.T, s media.Store) {
	var keys []string
	for i := range 12 {
		k := fmt.Sprintf("originals/%02x/%02x%d", i%3, i%3, i)
		if i == 11 {
			k = "previews/ff/one.jpg" // a folder with a single key
		}
		put(t, s, k, data(100+i, byte(i)))
		keys = append(keys, k)
	}
	put(t, s, "originals/00/other", []byte("not asked for"))
	keys = append(keys, keys[4]) // a key twice
	got, err := media.StatAll(ctx, s, keys)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		want, err := s.Stat(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		if got[i].Key != k || got[i].Size != want.Size || !got[i].ModTime.Equal(want.ModTime) {
			t.Errorf("StatAll[%d] = %+v, Stat says %+v", i, got[i], want)
		}
	}
	for _, missing := range []string{"originals/01/nothing", "originals/7f/nothing", "originals/00"} {
		if _, err := media.StatAll(ctx, s, append(slices.Clone(keys), missing)); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("StatAll with %s: %v, want fs.ErrNotExist", missing, err)
		}
	}
	if _, err := media.StatAll(ctx, s, []string{"originals/../x"}); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("StatAll of a bad key: %v, want fs.ErrInvalid", err)
	}
}
