package web

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"sync"
)

// tiles are a grid's list items as the template "tiles" (parts.html)
// writes them.
type tiles struct {
	Photos []photoView
	Hearts bool   // a heart on each photo
	Next   string // where a heart's form comes back to
}

// tileCache keeps the grid's list items as the template wrote them, by
// everything they were written from (the gallery's photos on the page,
// their hearts, the page): a version of a gallery's page costs one run of
// the template, not one per request. A 1,000-photo gallery's page is 200
// items of a dozen attributes each, which html/template takes several
// times longer to write than the rest of the request takes to answer.
type tileCache struct {
	// seeds of the two 64-bit hashes of a key, random for each cache, so
	// that no input can be made to collide with another on purpose
	seeds [2]maphash.Seed
	mu    sync.Mutex
	items map[tileKey][]byte
	size  int // bytes held
}

func newTileCache() *tileCache {
	return &tileCache{seeds: [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}}
}

// maxTileBytes bounds the cache: past it, it starts over.
const maxTileBytes = 32 << 20

// tilesHTML is t's list items, written by the template or remembered. The
// bytes are shared: never change them.
func (h *Handler) tilesHTML(t tiles) ([]byte, error) {
	c := h.tileHTML
	key := t.key(c.seeds)
	c.mu.Lock()
	s, ok := c.items[key]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	b := pageBuffers.Get().(*bytes.Buffer)
	defer putPageBuffer(b)
	if err := h.pages["gallery"].ExecuteTemplate(b, "tiles", t); err != nil {
		return nil, fmt.Errorf("render tiles: %w", err)
	}
	s = bytes.Clone(b.Bytes())
	c.mu.Lock()
	if c.items == nil || c.size+len(s) > maxTileBytes {
		c.items, c.size = map[tileKey][]byte{}, 0
	}
	if _, ok := c.items[key]; !ok {
		c.items[key] = s
		c.size += len(s)
	}
	c.mu.Unlock()
	return s, nil
}

// tileKey is a digest of everything the template reads of a tiles.
type tileKey [2]uint64

// key is t's digest.
func (t tiles) key(seeds [2]maphash.Seed) tileKey {
	b := make([]byte, 0, 64+len(t.Photos)*128)
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	num := func(n int64) { b = binary.AppendVarint(b, n) }
	flag := func(v bool) {
		if v {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	flag(t.Hearts)
	str(t.Next)
	for _, p := range t.Photos {
		str(p.Page)
		str(p.Thumb)
		str(p.Name)
		str(p.prefix)
		str(p.idv)
		for _, n := range [...]int{p.TW, p.TH, p.w, p.h} {
			num(int64(n))
		}
		flag(p.Fav)
	}
	return tileKey{maphash.Bytes(seeds[0], b), maphash.Bytes(seeds[1], b)}
}
