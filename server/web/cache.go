package web

import (
	"context"
	"crypto/sha256"
	"sync"
	"sync/atomic"

	"pinhole/db"
)

// reads remembers the rows every gallery request reads (the gallery's
// settings, the session, a client's grant, the photo, the gallery's list
// of photos), for as long as nothing is committed to the database. Each
// request first asks the store for its generation (a read of SQLite's WAL
// index header; see db.Store.Generation), which moves on any commit by
// this process or another, such as the
// command line changing a PIN or revoking a grant on the same file; a
// move empties the cache. So a change still takes effect at the very next
// request, and everything that depends on the clock (expiry) is still
// decided on every request from the remembered rows.
//
// Only found rows are remembered; a miss always asks the database.
type reads struct {
	mu        sync.Mutex
	gen       uint64
	galleries map[string]db.Gallery
	byID      map[int64]db.Gallery
	sessions  map[[sha256.Size]byte]db.Session
	clients   map[int64]db.Client
	photos    map[[2]int64]db.Photo
	lists     map[int64][]db.Photo // a gallery's photos in order; shared, never changed
	loading   map[int64]*listLoad  // lists being read, which other requests wait for
	settings  map[string]string
	listed    int          // photos in lists
	listLoads atomic.Int64 // lists read from the database, ever
}

// listLoad is one read of a gallery's photos that the requests missing it
// at the same time share: after a commit, 64 visitors of a 10,000-photo
// gallery would otherwise read the same 10,000 rows 64 times at once,
// and none of them would answer for seconds.
type listLoad struct {
	done chan struct{}
	ps   []db.Photo
	err  error
}

// maxReads bounds each map: past it the map starts over.
const maxReads = 20000

// sync brings the cache to the database's current generation and returns
// it; the request passes it to every lookup. On error the request goes to
// the database (generation 0 never matches).
func (c *reads) sync(ctx context.Context, store *db.Store) uint64 {
	gen, err := store.Generation(ctx)
	if err != nil {
		return 0
	}
	c.mu.Lock()
	if gen > c.gen || c.galleries == nil {
		c.gen = gen
		c.galleries = map[string]db.Gallery{}
		c.byID = map[int64]db.Gallery{}
		c.sessions = map[[sha256.Size]byte]db.Session{}
		c.clients = map[int64]db.Client{}
		c.photos = map[[2]int64]db.Photo{}
		c.lists, c.listed = map[int64][]db.Photo{}, 0
		c.loading = map[int64]*listLoad{}
		c.settings = map[string]string{}
	}
	c.mu.Unlock()
	return gen
}

// get and put work on one map under the lock, only at the generation the
// request saw: a request that looked before a commit can neither read nor
// fill the cache of after it.
func get[K comparable, V any](c *reads, gen uint64, m func() map[K]V, k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	if gen == 0 || gen != c.gen {
		return zero, false
	}
	v, ok := m()[k]
	return v, ok
}

func put[K comparable, V any](c *reads, gen uint64, m func() map[K]V, k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == 0 || gen != c.gen {
		return
	}
	mm := m()
	if len(mm) >= maxReads {
		clear(mm)
	}
	mm[k] = v
}

func (h *Handler) gallerySettings(ctx context.Context, gen uint64, slug string) (db.Gallery, error) {
	c := &h.reads
	m := func() map[string]db.Gallery { return c.galleries }
	if g, ok := get(c, gen, m, slug); ok {
		return g, nil
	}
	g, err := h.store.GallerySettings(ctx, slug)
	if err == nil {
		put(c, gen, m, slug, g)
	}
	return g, err
}

func (h *Handler) gallerySettingsByID(ctx context.Context, gen uint64, id int64) (db.Gallery, error) {
	c := &h.reads
	m := func() map[int64]db.Gallery { return c.byID }
	if g, ok := get(c, gen, m, id); ok {
		return g, nil
	}
	g, err := h.store.GallerySettingsByID(ctx, id)
	if err == nil {
		put(c, gen, m, id, g)
	}
	return g, err
}

// sessionByToken is the store's SessionByToken: the expiry is checked
// against the store's clock on every call, as the query does.
func (h *Handler) sessionByToken(ctx context.Context, gen uint64, token string) (db.Session, error) {
	c := &h.reads
	m := func() map[[sha256.Size]byte]db.Session { return c.sessions }
	k := sha256.Sum256([]byte(token))
	if s, ok := get(c, gen, m, k); ok && s.ExpiresAt.Unix() > h.store.Now().Unix() {
		return s, nil
	}
	s, err := h.store.SessionByToken(ctx, token)
	if err == nil {
		put(c, gen, m, k, s)
	}
	return s, err
}

func (h *Handler) clientByID(ctx context.Context, gen uint64, id int64) (db.Client, error) {
	c := &h.reads
	m := func() map[int64]db.Client { return c.clients }
	if cl, ok := get(c, gen, m, id); ok {
		return cl, nil
	}
	cl, err := h.store.ClientByID(ctx, id)
	if err == nil {
		put(c, gen, m, id, cl)
	}
	return cl, err
}

func (h *Handler) photo(ctx context.Context, gen uint64, galleryID, photoID int64) (db.Photo, error) {
	c := &h.reads
	m := func() map[[2]int64]db.Photo { return c.photos }
	k := [2]int64{galleryID, photoID}
	if p, ok := get(c, gen, m, k); ok {
		return p, nil
	}
	p, err := h.store.Photo(ctx, galleryID, photoID)
	if err == nil {
		put(c, gen, m, k, p)
	}
	return p, err
}

// maxListed bounds the photos held in lists (~250 bytes each, so at most
// ~25 MB). It is above the largest gallery the product is made for: a
// gallery that does not fit is read from the database on every request,
// ~20 µs a photo, which at 50,000 photos was a second a page.
const maxListed = 100_000

// photos is the store's Photos. The slice is shared between requests:
// callers only read it.
func (h *Handler) photos(ctx context.Context, gen uint64, galleryID int64) ([]db.Photo, error) {
	c := &h.reads
	c.mu.Lock()
	current := gen != 0 && gen == c.gen
	ps, ok := c.lists[galleryID]
	if current && ok {
		c.mu.Unlock()
		return ps, nil
	}
	if l := c.loading[galleryID]; current && l != nil {
		c.mu.Unlock()
		select {
		case <-l.done:
			if l.err == nil {
				return l.ps, nil
			}
			return h.loadPhotos(ctx, galleryID) // its request may have ended
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	var l *listLoad
	if current {
		l = &listLoad{done: make(chan struct{})}
		c.loading[galleryID] = l
	}
	c.mu.Unlock()
	ps, err := h.loadPhotos(ctx, galleryID)
	if l == nil {
		return ps, err
	}
	l.ps, l.err = ps, err
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loading[galleryID] == l {
		delete(c.loading, galleryID)
	}
	close(l.done)
	if err == nil && len(ps) <= maxListed && gen == c.gen {
		if c.listed+len(ps) > maxListed {
			clear(c.lists)
			c.listed = 0
		}
		if _, dup := c.lists[galleryID]; !dup {
			c.lists[galleryID] = ps
			c.listed += len(ps)
		}
	}
	return ps, err
}

func (h *Handler) loadPhotos(ctx context.Context, galleryID int64) ([]db.Photo, error) {
	h.reads.listLoads.Add(1)
	return h.store.Photos(ctx, galleryID)
}

// setting is the store's Setting: every page shows the studio's name.
func (h *Handler) setting(ctx context.Context, key string) (string, error) {
	return h.settingAt(ctx, h.reads.sync(ctx, h.store), key)
}

// settingAt is setting at a generation the request already has.
func (h *Handler) settingAt(ctx context.Context, gen uint64, key string) (string, error) {
	c := &h.reads
	m := func() map[string]string { return c.settings }
	if v, ok := get(c, gen, m, key); ok {
		return v, nil
	}
	v, err := h.store.Setting(ctx, key)
	if err == nil {
		put(c, gen, m, key, v)
	}
	return v, err
}
