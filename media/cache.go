package media

import (
	"container/list"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Cache is a [Store] kept in front of another (a bucket): renditions read
// through it are copied to a local folder, up to a number of bytes, and
// read from there next time, as files (*os.File), so that the website
// sends them as it sends a folder's: a gallery page asks for hundreds of
// thumbnails at once, and a round trip to the bucket for each would make
// it crawl. The least recently read go first when the folder is full.
// Originals are never kept: they are large and read rarely.
//
// A photo's files are named by their content, so a copy never goes stale;
// Put and Delete through the cache drop the copy all the same.
type Cache struct {
	Store // the store behind

	dir string
	max int64

	mu       sync.Mutex
	size     int64
	lru      *list.List               // of *cached, most recent first
	entries  map[string]*list.Element // by key
	fetching map[string]*fetch
}

type cached struct {
	key  string
	size int64
}

// fetch is one copy from the store under way, which other readers of the
// same key wait for.
type fetch struct {
	done chan struct{}
	err  error
}

// NewCache keeps up to max bytes of store's renditions in dir (made if
// needed; copies already there are kept, oldest first in line to go).
func NewCache(store Store, dir string, max int64) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("photo cache: %w", err)
	}
	c := &Cache{Store: store, dir: dir, max: max, lru: list.New(), entries: map[string]*list.Element{}, fetching: map[string]*fetch{}}
	type file struct {
		key  string
		size int64
		mod  time.Time
	}
	var files []file
	err := filepath.WalkDir(dir, func(p string, de fs.DirEntry, err error) error {
		if err != nil || de.IsDir() {
			return err
		}
		if strings.HasPrefix(de.Name(), tmpPrefix) {
			os.Remove(p) // a copy cut short
			return nil
		}
		fi, err := de.Info()
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, file{filepath.ToSlash(rel), fi.Size(), fi.ModTime()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("photo cache: %w", err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].mod.After(files[j].mod) })
	for _, f := range files {
		if CheckKey(f.key) != nil || !cacheable(f.key) {
			os.Remove(filepath.Join(dir, filepath.FromSlash(f.key)))
			continue
		}
		c.entries[f.key] = c.lru.PushBack(&cached{f.key, f.size})
		c.size += f.size
	}
	c.mu.Lock()
	c.evict()
	c.mu.Unlock()
	return c, nil
}

// cacheable: renditions, not originals.
func cacheable(key string) bool { return !strings.HasPrefix(key, dirOriginals+"/") }

func (c *Cache) path(key string) string { return filepath.Join(c.dir, filepath.FromSlash(key)) }

// Open reads a rendition from the local copy, making it first if needed;
// anything else from the store behind.
func (c *Cache) Open(ctx context.Context, key string) (Object, error) {
	if err := CheckKey(key); err != nil {
		return nil, err
	}
	if !cacheable(key) {
		return c.Store.Open(ctx, key)
	}
	for range 3 { // a copy evicted between its making and its opening is made again
		if f, ok := c.hit(key); ok {
			return f, nil
		}
		if err := c.fill(ctx, key); err != nil {
			return nil, err
		}
	}
	return c.Store.Open(ctx, key)
}

// hit opens the local copy of key, if there is one, and puts it first in
// line to stay.
func (c *Cache) hit(key string) (*os.File, bool) {
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok {
		c.lru.MoveToFront(e)
	}
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	f, err := os.Open(c.path(key))
	if err != nil {
		c.drop(key)
		return nil, false
	}
	return f, true
}

// fill copies key from the store, or waits for the copy another reader
// started. The copy goes on if the reader that started it gives up (the
// others still want it); the store's own timeouts bound it.
func (c *Cache) fill(ctx context.Context, key string) error {
	c.mu.Lock()
	if _, ok := c.entries[key]; ok {
		c.mu.Unlock()
		return nil
	}
	f, ok := c.fetching[key]
	if !ok {
		f = &fetch{done: make(chan struct{})}
		c.fetching[key] = f
		go func() {
			size, err := c.copy(context.WithoutCancel(ctx), key)
			c.mu.Lock()
			delete(c.fetching, key)
			if err == nil {
				c.entries[key] = c.lru.PushFront(&cached{key, size})
				c.size += size
				c.evict()
			}
			c.mu.Unlock()
			f.err = err
			close(f.done)
		}()
	}
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// copy writes key's object to a temporary file and renames it into place.
func (c *Cache) copy(ctx context.Context, key string) (int64, error) {
	o, err := c.Store.Open(ctx, key)
	if err != nil {
		return 0, err
	}
	defer o.Close()
	final := c.path(key)
	tmp, err := createTemp(filepath.Dir(final))
	if err != nil {
		return 0, fmt.Errorf("photo cache: %w", err)
	}
	n, err := io.Copy(tmp, o)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return 0, fmt.Errorf("photo cache: copy %s: %w", key, err)
	}
	return n, nil
}

// evict removes the least recently read copies until the rest fit. The
// caller holds mu. A copy being read stays readable: its file is only
// unlinked.
func (c *Cache) evict() {
	for c.size > c.max && c.lru.Len() > 0 {
		e := c.lru.Back()
		v := e.Value.(*cached)
		c.lru.Remove(e)
		delete(c.entries, v.key)
		c.size -= v.size
		os.Remove(c.path(v.key))
	}
}

// drop forgets and removes key's copy.
func (c *Cache) drop(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.lru.Remove(e)
		delete(c.entries, key)
		c.size -= e.Value.(*cached).size
	}
	os.Remove(c.path(key))
}

// Put stores r in the store behind, and drops any local copy of key.
func (c *Cache) Put(ctx context.Context, key string, r io.Reader) error {
	if err := c.Store.Put(ctx, key, r); err != nil {
		return err
	}
	if CheckKey(key) == nil {
		c.drop(key)
	}
	return nil
}

// Delete removes key from the store behind and its local copy.
func (c *Cache) Delete(ctx context.Context, key string) error {
	if err := c.Store.Delete(ctx, key); err != nil {
		return err
	}
	c.drop(key)
	return nil
}

// Size is how many bytes the local copies take.
func (c *Cache) Size() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// Stat, List, Location and URL are the store's own: the cache answers
// only reads of renditions.
var _ Store = (*Cache)(nil)

// StatAll is the store behind's (nothing is cached of sizes).
func (c *Cache) StatAll(ctx context.Context, keys []string) ([]ObjectInfo, error) {
	return StatAll(ctx, c.Store, keys)
}

// Prefetch is the store behind's, for what the cache does not keep
// (originals), when it has one; else open is Open, called then.
func (c *Cache) Prefetch(ctx context.Context, key string) (open func() (Object, error), drop func()) {
	if p, ok := c.Store.(interface {
		Prefetch(context.Context, string) (func() (Object, error), func())
	}); ok && !cacheable(key) {
		return p.Prefetch(ctx, key)
	}
	return func() (Object, error) { return c.Open(ctx, key) }, func() {}
}
