package bucket

import (
	"fmt"
	"io"
	"sync"
)

// Reads at positions close to one another and going forward (an SFTP
// download: 32 KiB reads from several workers, a little out of order)
// come from one GET kept open, and the last window of bytes it gave.
// OpenSSH's client keeps up to 64 reads of 32 KiB in flight: the window
// holds that much, and a read ahead.
const (
	readAhead = 128 << 10             // read from the GET at a time
	window    = 64*32<<10 + readAhead // bytes kept behind the GET, and how far ahead it skips
)

// readAt is an object's sequential GET for ReadAt: its body, at start
// plus len(buf), and buf the bytes it gave last.
type readAt struct {
	mu    sync.Mutex
	body  io.ReadCloser
	start int64
	buf   []byte
}

// read fills p with bytes [off, off+len(p)) of o from the window, reading
// the GET forward as needed; ok is false when off is too far behind or
// ahead, for a GET of just that range instead.
func (r *readAt) read(o *object, p []byte, off int64) (ok bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	end := off + int64(len(p))
	pos := r.start + int64(len(r.buf))
	if off < r.start || off > pos+window {
		return false, nil
	}
	for pos < end {
		if r.body == nil {
			if r.body, err = o.get(pos, -1); err != nil {
				return true, err
			}
		}
		if len(r.buf)+readAhead > cap(r.buf) {
			// Keep the last window, move it to the front.
			keep := r.buf[max(0, len(r.buf)-window):]
			if r.buf == nil {
				r.buf = make([]byte, 0, window+readAhead)
			}
			r.start += int64(len(r.buf) - len(keep))
			r.buf = r.buf[:copy(r.buf[:cap(r.buf)], keep)]
		}
		n, err := r.body.Read(r.buf[len(r.buf) : len(r.buf)+int(min(readAhead, o.info.Size-pos))])
		r.buf = r.buf[:len(r.buf)+n]
		pos += int64(n)
		if err == io.EOF && pos < o.info.Size {
			err = io.ErrUnexpectedEOF
		}
		if err == io.EOF {
			err = nil
		}
		if err != nil {
			r.close()
			return true, fmt.Errorf("read %s: %w", o.s.Location(o.info.Key), err)
		}
	}
	if off < r.start {
		return false, nil // moved past it while reading ahead
	}
	copy(p, r.buf[off-r.start:])
	return true, nil
}

func (r *readAt) close() {
	if r.body != nil {
		r.body.Close()
		r.body = nil
	}
	r.start += int64(len(r.buf))
	r.buf = r.buf[:0]
}
