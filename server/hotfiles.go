package server

import (
	"io"
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
	files map[string][]byte
	size  int64
}

const (
	hotMax     = 64 << 20  // bytes kept in all
	hotFileMax = 256 << 10 // larger files are sent from disk
)

// get returns the bytes of the file named key, reading the file at
// path(key) on a miss. ok is false when the file is not kept (too large,
// or unreadable: the caller's disk path reports why).
func (c *hotFiles) get(key string, path func(string) string) (b []byte, ok bool) {
	c.mu.RLock()
	b, ok = c.files[key]
	c.mu.RUnlock()
	if ok {
		return b, true
	}
	b, ok = readSmall(path(key))
	if !ok {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, dup := c.files[key]; !dup {
		if c.files == nil {
			c.files = map[string][]byte{}
		}
		// Past the bound, drop others until a tenth is free again; map
		// order is arbitrary enough for files that are all alike.
		for k, v := range c.files {
			if c.size+int64(len(b)) <= hotMax*9/10 {
				break
			}
			delete(c.files, k)
			c.size -= int64(len(v))
		}
		c.files[key] = b
		c.size += int64(len(b))
	}
	return b, true
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
