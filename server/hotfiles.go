package server

import (
	"io"
	"strconv"
	"sync"
)

// hotFiles keeps thumbnails in memory: a gallery page asks for hundreds at
// once, and a thumbnail sent from memory costs one write, where one sent
// from disk costs opening, examining, sending and closing its file. The
// files are immutable (named by their content's hash), so a copy never
// goes stale; a deleted photo's copy is only ever reached after the access
// check, which no longer finds the photo.
type hotFiles struct {
	mu    sync.RWMutex
	files map[string]*hotFile // by content hash
	size  int64
}

// hotFile is a thumbnail with its header values, built once.
type hotFile struct {
	body         []byte
	etag, length []string
}

const (
	hotMax     = 32 << 20  // bytes kept in all: half the soft memory limit of serve
	hotFileMax = 256 << 10 // larger files are sent from disk
)

// get returns the thumbnail of the photo whose content hash is sha,
// reading the file at path(sha) on a miss. ok is false when the file is
// not kept (too large, or unreadable: the caller's disk path reports why).
func (c *hotFiles) get(sha string, path func(string) string) (f *hotFile, ok bool) {
	c.mu.RLock()
	f, ok = c.files[sha]
	c.mu.RUnlock()
	if ok {
		return f, true
	}
	b, ok := readSmall(path(sha))
	if !ok {
		return nil, false
	}
	f = &hotFile{body: b, etag: []string{`"` + sha + `-t"`}, length: []string{strconv.Itoa(len(b))}}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, dup := c.files[sha]; dup {
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
		}
	}
	c.files[sha] = f
	c.size += int64(len(b))
	return f, true
}

// readSmall reads a whole regular file of at most hotFileMax bytes.
func readSmall(path string) ([]byte, bool) {
	f, err := openFile(path)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > hotFileMax {
		return nil, false
	}
	b := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, false
	}
	// A file that grew after the Stat is not what it was said to be.
	if n, _ := f.Read(make([]byte, 1)); n != 0 {
		return nil, false
	}
	return b, true
}
