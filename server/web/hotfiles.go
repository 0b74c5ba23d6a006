package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"pinhole/media"
)

// hotFiles keeps thumbnails at hand: a gallery page asks for hundreds at
// once, and a thumbnail sent from memory costs one write, where one sent
// from disk costs opening, examining, sending and closing its file. The
// files are immutable (named by their content's hash, replaced only by
// renaming), so a copy never goes stale; a deleted photo's copy is only
// ever reached after the access check, which no longer finds the photo.
//
// On Linux each file is mapped, not copied into the Go heap: the bytes are
// the page cache's own, and they do not count as live heap, which at
// serve's GOGC would otherwise let the heap grow to five times their size,
// or, against its soft memory limit, keep the collector running.
type hotFiles struct {
	mu    sync.RWMutex
	files map[string]*hotFile // by content hash
	size  int64
}

// hotFile is a thumbnail with its header values, built once.
type hotFile struct {
	body         []byte
	etag, length []string
	// refs counts the cache's hold and each answer being sent: the
	// mapping goes when the last lets go.
	refs atomic.Int32
}

const (
	hotMax     = 32 << 20  // bytes kept in all
	hotFileMax = 256 << 10 // larger files are sent from disk
)

// get returns the thumbnail of the photo whose content hash is sha,
// mapping its file on a miss (reading it, from a store of other than
// files). ok is false when the file is not kept (empty, too large, or
// unreadable: the caller's ordinary path reports why). The caller calls
// done when it has sent it.
func (c *hotFiles) get(ctx context.Context, store media.Store, sha string) (f *hotFile, ok bool) {
	c.mu.RLock()
	f, ok = c.files[sha]
	if ok {
		f.refs.Add(1) // the cache's hold cannot go while mu is held
	}
	c.mu.RUnlock()
	if ok {
		return f, true
	}
	o, err := store.Open(ctx, media.RenditionKey(renditionNamed(media.Thumbnail), sha))
	if err != nil {
		return nil, false
	}
	b, ok := mapSmall(o, hotFileMax)
	o.Close() // a mapping holds the file
	if !ok {
		return nil, false
	}
	f = &hotFile{body: b, etag: []string{renditionETag(sha, renditionNamed(media.Thumbnail).Code)}, length: []string{strconv.Itoa(len(b))}}
	f.refs.Store(2) // the cache's and the caller's
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, dup := c.files[sha]; dup {
		old.refs.Add(1)
		unmap(b)
		return old, true
	}
	if c.files == nil {
		c.files = map[string]*hotFile{}
	}
	if c.size+int64(len(b)) > hotMax {
		// Drop others until a tenth is free again; map order is
		// arbitrary enough for files that are all alike.
		for k, v := range c.files {
			if c.size+int64(len(b)) <= hotMax*9/10 {
				break
			}
			delete(c.files, k)
			c.size -= int64(len(v.body))
			v.done()
		}
	}
	c.files[sha] = f
	c.size += int64(len(b))
	return f, true
}

// done lets go of one hold.
func (f *hotFile) done() {
	if f.refs.Add(-1) == 0 {
		unmap(f.body)
	}
}

// serve is serveFile for a thumbnail at hand.
func (f *hotFile) serve(w http.ResponseWriter, r *http.Request) {
	// A mapped file cut short under us (never by Pinhole, which replaces
	// files by renaming) faults on reading: a panic net/http confines to
	// this request, not the end of the server.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	fileHeaders(w, f.etag, jpegValue)
	if !plainGet(r) {
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(f.body))
		return
	}
	send, uncork := sendWhole(w, r, f.length)
	defer uncork()
	if send {
		w.Write(f.body)
	}
}

// readSmall reads a whole object of 1 to max bytes into memory: for
// objects that are not files, and where files are not mapped.
func readSmall(o media.Object, max int64) ([]byte, bool) {
	fi, err := o.Stat()
	if err != nil || fi.Size() == 0 || fi.Size() > max {
		return nil, false
	}
	b := make([]byte, fi.Size())
	if _, err := io.ReadFull(o, b); err != nil {
		return nil, false
	}
	return b, true
}
