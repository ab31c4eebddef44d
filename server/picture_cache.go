package server

import (
	"container/list"
	"sync"
)

// pictureKey names one state of a board: with one order per board, its
// epoch and sequence number say exactly what is drawn on it, so a rendering
// under this key never goes stale; a board that changes gets a new key and
// its old renderings age out.
type pictureKey struct {
	room       string
	epoch, seq uint64
}

// pictureCache keeps rendered SVGs, least recently used first out, bounded
// by the bytes they hold.
type pictureCache struct {
	max int // bytes

	mu    sync.Mutex // guards the fields below
	bytes int
	order *list.List // of *pictureEntry, most recently used at the front
	byKey map[pictureKey]*list.Element
}

type pictureEntry struct {
	key pictureKey
	svg []byte
}

// entryOverhead approximates what an entry costs besides its bytes (map
// slot, list element, key).
const entryOverhead = 128

func newPictureCache(maxBytes int) *pictureCache {
	return &pictureCache{max: maxBytes, order: list.New(), byKey: make(map[pictureKey]*list.Element)}
}

func (e *pictureEntry) cost() int { return len(e.svg) + len(e.key.room) + entryOverhead }

// get returns the rendering under k, if kept. The bytes are shared: never
// modify them.
func (c *pictureCache) get(k pictureKey) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.byKey[k]
	if el == nil {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*pictureEntry).svg, true
}

// add keeps svg under k. A rendering bigger than a quarter of the cache is
// not kept: it would push out many boards' pictures for one.
func (c *pictureCache) add(k pictureKey, svg []byte) {
	e := &pictureEntry{key: k, svg: svg}
	if e.cost() > c.max/4 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[k]; ok {
		return
	}
	c.byKey[k] = c.order.PushFront(e)
	c.bytes += e.cost()
	for c.bytes > c.max {
		old := c.order.Back()
		oe := old.Value.(*pictureEntry)
		c.order.Remove(old)
		delete(c.byKey, oe.key)
		c.bytes -= oe.cost()
	}
}

// size returns the bytes and entries kept.
func (c *pictureCache) size() (bytes, entries int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes, len(c.byKey)
}
