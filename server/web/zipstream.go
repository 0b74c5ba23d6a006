package web

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"pinhole/media"
)

// A stored (not deflated) ZIP, streamed: every size is known before the
// first byte, so the exact length goes out in Content-Length and the
// browser shows progress. CRCs are computed while streaming and written in
// data descriptors. Memory is one copy buffer plus a few dozen bytes per
// entry for the central directory. ZIP64 records are added only when
// offsets or the entry count outgrow the classic format.

// zipEntry is one file to put in the archive.
type zipEntry struct {
	Name     string // already unique and clean
	Key      string // the photo file's, in the store
	Size     int64
	Modified time.Time
	FileTime time.Time // the file's modification time, for the CRC cache
}

const (
	localHeaderLen   = 30
	descriptorLen    = 16
	centralHeaderLen = 46
	zip64ExtraLen    = 12 // header 4 + offset 8
	eocdLen          = 22
	eocd64Len        = 56
	locator64Len     = 20
	max32            = 0xFFFFFFFF
	max16            = 0xFFFF
)

// errTooLargeEntry: one file of 4 GiB or more (never a photo).
var errTooLargeEntry = errors.New("zip: a file of 4 GiB or more")

// zipLayout holds what streaming needs to know up front.
type zipLayout struct {
	entries []zipEntry
	offsets []int64
	cdStart int64
	cdSize  int64
	zip64   bool
	above   int64 // where ZIP64 records start (see layoutZip)
	total   int64
	crcs    *crcCache // CRCs of files sent before; nil: compute every one
	from    int64     // the first byte to send: a resumed download sends the rest
	// The files come from store; ctx ends the download (a request's).
	store media.Store
	ctx   context.Context
}

// layoutZip lays the archive out, its files to come from store (ctx ends
// the download: a request's). Offsets, sizes and counts at or above
// zip64Above use ZIP64 records: max32 for a real archive; tests lower it,
// since streaming 4 GB is too slow for a test.
func layoutZip(ctx context.Context, store media.Store, entries []zipEntry, zip64Above int64) (zipLayout, error) {
	l := zipLayout{entries: entries, offsets: make([]int64, len(entries)), above: zip64Above, store: store, ctx: ctx}
	var off int64
	for i, e := range entries {
		if e.Size >= max32 {
			return zipLayout{}, fmt.Errorf("%s: %w", e.Name, errTooLargeEntry)
		}
		l.offsets[i] = off
		off += localHeaderLen + int64(len(e.Name)) + e.Size + descriptorLen
	}
	l.cdStart = off
	for i, e := range entries {
		l.cdSize += centralHeaderLen + int64(len(e.Name))
		if l.offsets[i] >= zip64Above {
			l.cdSize += zip64ExtraLen
		}
	}
	l.zip64 = l.cdStart >= zip64Above || l.cdSize >= zip64Above || len(entries) >= max16
	l.total = l.cdStart + l.cdSize + eocdLen
	if l.zip64 {
		l.total += eocd64Len + locator64Len
	}
	return l, nil
}

// Size is the archive's exact length in bytes.
func (l zipLayout) Size() int64 { return l.total }

// dosTime encodes t in MS-DOS date and time (2 s resolution, from 1980).
func dosTime(t time.Time) (date, tm uint16) {
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	tm = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, tm
}

// errChanged: a file's size is not what it was when the length was sent.
var errChanged = errors.New("zip: a file changed size while streaming")

// WriteTo streams the archive from byte l.from on. buf is the copy buffer.
// It returns the archive's offset reached, l.total when all went.
func (l zipLayout) WriteTo(w io.Writer, buf []byte) (int64, error) {
	cw := &countWriter{w: w, skip: l.from}
	crcs := make([]uint32, len(l.entries))
	jobs, results := make(chan crcJob), make(chan crcResult)
	go crcWorker(jobs, results, buf)
	defer close(jobs)
	// The files whose bytes are sent (not all skipped) are asked for ahead.
	first := 0
	for first < len(l.entries) && l.dataEnd(first) <= l.from {
		first++
	}
	files := &ahead{l: l}
	defer files.close()
	var hdr [centralHeaderLen + zip64ExtraLen]byte
	le := binary.LittleEndian
	const flags = 0x0808 // bit 3: sizes and CRC in a data descriptor; bit 11: UTF-8 names
	for i, e := range l.entries {
		date, tm := dosTime(e.Modified)
		b := hdr[:localHeaderLen]
		le.PutUint32(b[0:], 0x04034b50)
		le.PutUint16(b[4:], 20)
		le.PutUint16(b[6:], flags)
		le.PutUint16(b[8:], 0) // stored
		le.PutUint16(b[10:], tm)
		le.PutUint16(b[12:], date)
		le.PutUint32(b[14:], 0) // CRC and sizes follow in the descriptor
		le.PutUint32(b[18:], 0)
		le.PutUint32(b[22:], 0)
		le.PutUint16(b[26:], uint16(len(e.Name)))
		le.PutUint16(b[28:], 0)
		if _, err := cw.Write(b); err != nil {
			return cw.n, err
		}
		if _, err := io.WriteString(cw, e.Name); err != nil {
			return cw.n, err
		}
		var f media.Object
		var err error
		if i < first {
			f, err = l.store.Open(l.ctx, e.Key)
		} else {
			f, err = files.take(i)
		}
		if err != nil {
			return cw.n, fmt.Errorf("zip %s: %w", e.Name, err)
		}
		var crc uint32
		if cw.skip > 0 {
			crc, err = l.skipFile(cw, e, f, buf)
		} else {
			crc, err = l.copyFile(cw, e, f, buf, jobs, results)
		}
		f.Close()
		if err != nil {
			return cw.n, err
		}
		crcs[i] = crc
		d := hdr[:descriptorLen]
		le.PutUint32(d[0:], 0x08074b50)
		le.PutUint32(d[4:], crc)
		le.PutUint32(d[8:], uint32(e.Size))
		le.PutUint32(d[12:], uint32(e.Size))
		if _, err := cw.Write(d); err != nil {
			return cw.n, err
		}
	}
	for i, e := range l.entries {
		date, tm := dosTime(e.Modified)
		big := l.offsets[i] >= l.above
		b := hdr[:centralHeaderLen]
		le.PutUint32(b[0:], 0x02014b50)
		need := uint16(20)
		if big {
			need = 45
		}
		le.PutUint16(b[4:], 3<<8|45) // made by Unix, spec 4.5
		le.PutUint16(b[6:], need)
		le.PutUint16(b[8:], flags)
		le.PutUint16(b[10:], 0)
		le.PutUint16(b[12:], tm)
		le.PutUint16(b[14:], date)
		le.PutUint32(b[16:], crcs[i])
		le.PutUint32(b[20:], uint32(e.Size))
		le.PutUint32(b[24:], uint32(e.Size))
		le.PutUint16(b[28:], uint16(len(e.Name)))
		extra := 0
		if big {
			extra = zip64ExtraLen
		}
		le.PutUint16(b[30:], uint16(extra))
		le.PutUint16(b[32:], 0)            // comment
		le.PutUint16(b[34:], 0)            // disk
		le.PutUint16(b[36:], 0)            // internal attributes
		le.PutUint32(b[38:], 0o100644<<16) // regular file, rw-r--r--
		off := uint32(l.offsets[i])
		if big {
			off = max32
		}
		le.PutUint32(b[42:], off)
		if _, err := cw.Write(b); err != nil {
			return cw.n, err
		}
		if _, err := io.WriteString(cw, e.Name); err != nil {
			return cw.n, err
		}
		if big {
			x := hdr[:zip64ExtraLen]
			le.PutUint16(x[0:], 0x0001)
			le.PutUint16(x[2:], 8)
			le.PutUint64(x[4:], uint64(l.offsets[i]))
			if _, err := cw.Write(x); err != nil {
				return cw.n, err
			}
		}
	}
	n := len(l.entries)
	if l.zip64 {
		eocd64At := cw.n
		var b [eocd64Len + locator64Len]byte
		le.PutUint32(b[0:], 0x06064b50)
		le.PutUint64(b[4:], eocd64Len-12)
		le.PutUint16(b[12:], 3<<8|45)
		le.PutUint16(b[14:], 45)
		le.PutUint32(b[16:], 0)
		le.PutUint32(b[20:], 0)
		le.PutUint64(b[24:], uint64(n))
		le.PutUint64(b[32:], uint64(n))
		le.PutUint64(b[40:], uint64(l.cdSize))
		le.PutUint64(b[48:], uint64(l.cdStart))
		loc := b[eocd64Len:]
		le.PutUint32(loc[0:], 0x07064b50)
		le.PutUint32(loc[4:], 0)
		le.PutUint64(loc[8:], uint64(eocd64At))
		le.PutUint32(loc[16:], 1)
		if _, err := cw.Write(b[:]); err != nil {
			return cw.n, err
		}
	}
	var b [eocdLen]byte
	le.PutUint32(b[0:], 0x06054b50)
	count := uint16(min(n, max16))
	cdSize := uint32(min(l.cdSize, max32))
	cdStart := uint32(min(l.cdStart, max32))
	if l.zip64 {
		count, cdSize, cdStart = max16, max32, max32
	}
	le.PutUint16(b[8:], count)
	le.PutUint16(b[10:], count)
	le.PutUint32(b[12:], cdSize)
	le.PutUint32(b[16:], cdStart)
	if _, err := cw.Write(b[:]); err != nil {
		return cw.n, err
	}
	if cw.n != l.total {
		return cw.n, fmt.Errorf("zip: wrote %d bytes, announced %d", cw.n, l.total)
	}
	return cw.n, nil
}

// crcJob asks the CRC worker for the CRC of a file's first size bytes.
type crcJob struct {
	f    io.ReaderAt
	size int64
}

type crcResult struct {
	crc uint32
	err error
}

// crcWorker computes CRCs beside the copy, one goroutine per archive.
func crcWorker(jobs <-chan crcJob, results chan<- crcResult, buf []byte) {
	for j := range jobs {
		crc, err := crcOf(j.f, j.size, buf)
		results <- crcResult{crc, err}
	}
}

// dataEnd is where entry i's bytes end in the archive.
func (l zipLayout) dataEnd(i int) int64 {
	e := l.entries[i]
	return l.offsets[i] + localHeaderLen + int64(len(e.Name)) + e.Size
}

// aheadFiles is how many files are asked for ahead of the one being sent.
const aheadFiles = 2

// prefetcher is a store that can ask for an object before it is read (a
// bucket: its GET is sent, and the answer waits in the socket).
type prefetcher interface {
	Prefetch(ctx context.Context, key string) (open func() (media.Object, error), drop func())
}

// ahead asks for the archive's files ahead of their turn, in order: while
// a file is sent, the next ones' GETs are on their way, and their answers
// wait in the socket when the file before is done, instead of a round
// trip to the bucket between every two files. Memory stays flat: a few
// answers waiting, in the kernel's socket buffers. A store that cannot
// prefetch opens each file in its turn.
type ahead struct {
	l       zipLayout
	next    int // the next entry to ask for
	pending []pending
}

type pending struct {
	open func() (media.Object, error)
	drop func()
}

// take opens entry i, the one after the last taken, having asked for
// the few after it.
func (a *ahead) take(i int) (media.Object, error) {
	p, ok := a.l.store.(prefetcher)
	if !ok {
		return a.l.store.Open(a.l.ctx, a.l.entries[i].Key)
	}
	if a.next < i {
		a.next = i
	}
	for ; a.next < len(a.l.entries) && a.next <= i+aheadFiles; a.next++ {
		open, drop := p.Prefetch(a.l.ctx, a.l.entries[a.next].Key)
		a.pending = append(a.pending, pending{open, drop})
	}
	f := a.pending[0]
	a.pending = a.pending[1:]
	return f.open()
}

// close forgets the files asked for and not taken.
func (a *ahead) close() {
	for _, p := range a.pending {
		p.drop()
	}
	a.pending = nil
}

// copyFile streams one file and returns its CRC-32. The bytes of a file
// of the folder go out with io.Copy, which hands the *os.File to the
// connection's ReadFrom (sendfile, no copy through user space); meanwhile
// the CRC worker reads the same bytes from the page cache on the other
// core. Any other store's object is read once, the CRC taken on the way.
func (l zipLayout) copyFile(w io.Writer, e zipEntry, f media.Object, buf []byte, jobs chan<- crcJob, results <-chan crcResult) (uint32, error) {
	crcs := l.crcs
	// A file goes to the connection by sendfile (io.Copy reaches its
	// ReadFrom); any other store's object through buf, which the CRC worker
	// uses only for a job (none is sent then): reads and writes of 256 KiB
	// rather than io.Copy's 32 KiB, half the system calls per byte relayed.
	_, isFile := f.(*os.File)
	relay := func(r io.Reader) (int64, error) {
		if isFile {
			return io.Copy(w, r)
		}
		return io.CopyBuffer(writerOnly{w}, r, buf)
	}
	// sent is the error of a copy that said n bytes: a short one means
	// the file changed since its size was taken.
	sent := func(n int64, err error) error {
		if err == nil && n != e.Size {
			err = fmt.Errorf("zip %s: %w", e.Name, errChanged)
		}
		return err
	}
	if crc, ok := crcs.get(e); ok {
		// An object that can send itself (a bucket's on a plain-HTTP
		// endpoint: the kernel splices its connection into the
		// visitor's) does, when it is the size announced.
		if wt, ok := f.(io.WriterTo); ok && !isFile {
			if fi, err := f.Stat(); err != nil || fi.Size() != e.Size {
				return 0, fmt.Errorf("zip %s: %w", e.Name, errChanged)
			}
			if err := sent(wt.WriteTo(w)); err != nil {
				return 0, err
			}
			return crc, nil
		}
		// Only the bytes to send: nothing else reads the file.
		if err := sent(relay(io.LimitReader(f, e.Size))); err != nil {
			return 0, err
		}
		return crc, nil
	}
	if !isFile {
		h := crc32.NewIEEE()
		if err := sent(relay(io.TeeReader(io.LimitReader(f, e.Size), h))); err != nil {
			return 0, err
		}
		crcs.put(e, h.Sum32())
		return h.Sum32(), nil
	}
	jobs <- crcJob{f, e.Size}
	err := sent(io.Copy(w, io.LimitReader(f, e.Size)))
	r := <-results
	switch {
	case err != nil:
		return 0, err
	case r.err != nil:
		return 0, fmt.Errorf("zip %s: %w", e.Name, r.err)
	}
	crcs.put(e, r.crc)
	return r.crc, nil
}

// skipFile is copyFile for a file that starts before the first byte to
// send: its CRC (for the central directory) comes from the cache or a read,
// and only its bytes from cw.skip on are sent.
func (l zipLayout) skipFile(cw *countWriter, e zipEntry, f media.Object, buf []byte) (uint32, error) {
	crcs := l.crcs
	crc, ok := crcs.get(e)
	if !ok {
		var err error
		if crc, err = crcOf(f, e.Size, buf); err != nil {
			return 0, fmt.Errorf("zip %s: %w", e.Name, err)
		}
		crcs.put(e, crc)
	}
	skip := min(cw.skip, e.Size)
	cw.skip -= skip
	cw.n += skip
	if skip == e.Size {
		return crc, nil
	}
	if _, err := f.Seek(skip, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.Copy(cw, io.LimitReader(f, e.Size-skip))
	switch {
	case err != nil:
		return 0, err
	case n != e.Size-skip:
		return 0, fmt.Errorf("zip %s: %w", e.Name, errChanged)
	}
	return crc, nil
}

// crcCache remembers the CRC-32 of the files ZIPs have sent, so that the
// next ZIP of the same photos reads each file once (to send it) instead of
// twice. Photo files are content-addressed and replaced only by renaming a
// new file into place, so a key with the same size and modification time
// holds the same bytes.
type crcCache struct {
	mu sync.Mutex
	m  map[crcKey]uint32
}

type crcKey struct {
	key       string
	size, mod int64
}

// maxCRCs bounds the cache (about 150 bytes an entry); past it, it starts over.
const maxCRCs = 100_000

func (c *crcCache) get(e zipEntry) (uint32, bool) {
	if c == nil || e.FileTime.IsZero() {
		return 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	crc, ok := c.m[crcKey{e.Key, e.Size, e.FileTime.UnixNano()}]
	return crc, ok
}

func (c *crcCache) put(e zipEntry, crc uint32) {
	if c == nil || e.FileTime.IsZero() {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCRCs {
		c.m = make(map[crcKey]uint32)
	}
	c.m[crcKey{e.Key, e.Size, e.FileTime.UnixNano()}] = crc
}

// crcOf computes the CRC-32 of the first size bytes of f with ReadAt, so
// that it can run beside the copy.
func crcOf(f io.ReaderAt, size int64, buf []byte) (uint32, error) {
	var crc uint32
	var off int64
	for off < size {
		want := min(int64(len(buf)), size-off)
		n, err := f.ReadAt(buf[:want], off)
		crc = crc32.Update(crc, crc32.IEEETable, buf[:n])
		off += int64(n)
		if err != nil && off < size {
			if errors.Is(err, io.EOF) {
				return 0, errChanged
			}
			return 0, err
		}
	}
	return crc, nil
}

// countWriter counts the archive's bytes; the first skip of them are
// counted but not sent (a resumed download).
type countWriter struct {
	w    io.Writer
	n    int64
	skip int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	if c.skip > 0 {
		k := min(int64(len(p)), c.skip)
		c.skip -= k
		c.n += k
		if k == int64(len(p)) {
			return len(p), nil
		}
		n, err := c.w.Write(p[k:])
		c.n += int64(n)
		return int(k) + n, err
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// writerOnly hides a writer's ReadFrom, so that io.CopyBuffer uses its
// buffer.
type writerOnly struct{ io.Writer }

// ReadFrom lets io.Copy reach the connection's ReadFrom (sendfile).
func (c *countWriter) ReadFrom(r io.Reader) (int64, error) {
	n, err := io.Copy(c.w, r)
	c.n += n
	return n, err
}

// uniqueNames makes entry names safe and unique, case-insensitively (for
// Windows and macOS): a second IMG_0001.JPG becomes "IMG_0001 (2).JPG".
func uniqueNames(names []string) []string {
	seen := make(map[string]bool, len(names))
	out := make([]string, len(names))
	for i, n := range names {
		n = cleanName(n)
		ext := filepath.Ext(n)
		stem := strings.TrimSuffix(n, ext)
		cand := n
		for k := 2; seen[strings.ToLower(cand)]; k++ {
			cand = stem + " (" + strconv.Itoa(k) + ")" + ext
		}
		seen[strings.ToLower(cand)] = true
		out[i] = cand
	}
	return out
}
