package server

import (
	"context"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/local"
	"github.com/sketchpad/sketchpad/server/oplog/redis"
	"github.com/sketchpad/sketchpad/server/room"
)

// Pictures of boards (GET /b/{room}.svg). Reading a board must not open
// it: a room costs memory, a goroutine and (Redis mode) a subscription for
// --room-idle, and anyone can name any board, so pictures of random names
// would fill the replica. So a board open on this replica is read from
// its room (the live board), and any other board is read from storage
// without opening a room and without writing anything: a board never
// stored is the empty board, and its picture is the empty picture.
//
// Renderings are cached by (board, epoch, sequence number), which says
// exactly what is drawn. To find the key of a board that is not open, a
// head read comes first: one HMGET in Redis mode, a few keys in one bbolt
// read transaction in embedded mode (BoltStore.Head). A short-lived cache
// without the head read would serve stale pictures of boards drawn on
// other replicas (Redis mode) or opened and closed again here; the head
// read is cheap next to reading and replaying the board, and it also
// answers If-None-Match without touching the cache.

// pictureCacheBytes bounds the rendered SVGs kept.
const pictureCacheBytes = 16 << 20

// pictureBuildTimeout bounds one read and replay of a stored board. A
// build is shared by the requests for that board that arrive meanwhile, so
// it does not end with the request that started it.
const pictureBuildTimeout = 10 * time.Second

// pictures reads and renders boards for /b/{room}.svg.
type pictures struct {
	hub    *room.Hub
	store  local.Store  // embedded mode
	shared *redis.Log   // Redis mode
	images oplog.Images // image bytes, drawn into pictures as data: URIs (images.go)
	cache  *pictureCache
	// gzipped holds the gzip forms of renderings in cache, under the same
	// keys (send).
	gzipped *pictureCache
	// Boards built from storage at once: a replay of a big board takes a
	// core and its memory, so requests beyond these wait their turn.
	builds chan struct{}
	empty  []byte // the picture of a board with nothing on it

	mu     sync.Mutex              // guards flight
	flight map[string]*pictureCall // builds under way, by board
}

// picture is one rendering and its entity tag.
type picture struct {
	svg  []byte
	etag string
	// key is the board state svg shows in full, under which the cache
	// keeps it and its gzip form; zero for a picture not to be kept (one
	// missing an image that could not be read, or the empty picture).
	key pictureKey
}

type pictureCall struct {
	done chan struct{} // closed when pic and err are set
	pic  picture
	err  error
}

func newPictures(h *room.Hub, store local.Store, shared *redis.Log) *pictures {
	return &pictures{hub: h, store: store, shared: shared,
		cache:   newPictureCache(pictureCacheBytes),
		gzipped: newPictureCache(pictureCacheBytes / 4),
		builds:  make(chan struct{}, max(1, runtime.GOMAXPROCS(0))),
		empty:   canvas.NewBoard(0).SVG(),
		flight:  make(map[string]*pictureCall)}
}

// pictureETag is the entity tag of a board's state.
func pictureETag(epoch, seq uint64) string {
	return `"` + strconv.FormatUint(epoch, 16) + "." + strconv.FormatUint(seq, 10) + `"`
}

// pictureCSP is a picture's policy: no script, its own inline styles, the
// text font from here (canvas.TextFontPath), and, like every other
// response, no <base>, no forms and no framing (an <img> of it on another
// site still shows it: frame-ancestors governs frames only).
const pictureCSP = "default-src 'none'; style-src 'unsafe-inline'; font-src 'self'; " +
	"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// send answers with pic (or 304 when notModified), gzipped when the
// client takes it and the picture is worth it; the gzip form is kept
// beside the renderings, so a state of a board is compressed once. The ETag is weak: it names the board's state, which
// the identity and gzip bodies both are, and it is known (and answered
// with 304) before anything is drawn or compressed, whatever the coding.
func (p *pictures) send(c echo.Context, pic picture, notModified bool) error {
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	h.Set("ETag", "W/"+pic.etag)
	if notModified {
		return c.NoContent(http.StatusNotModified)
	}
	h.Set("Content-Security-Policy", pictureCSP)
	coding := compressedCoding(c.Request(), len(pic.svg))
	var coded []byte
	if coding != "" {
		kept := pic.key.room != ""
		if kept {
			coded, _ = p.gzipped.get(pic.key)
		}
		if coded == nil {
			coded = gzipBytes(pic.svg)
			if kept {
				p.gzipped.add(pic.key, coded)
			}
		}
	}
	return sendCoded(c, http.StatusOK, "image/svg+xml", pic.svg, coded, coding)
}

// etagMatches reports whether an If-None-Match header names etag (weak
// comparison, as RFC 9110 asks for If-None-Match).
func etagMatches(ifNoneMatch, etag string) bool {
	for _, t := range strings.Split(ifNoneMatch, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// get returns room's picture; notModified says that ifNoneMatch names it
// (then pic.svg may be nil).
func (p *pictures) get(ctx context.Context, room, ifNoneMatch string) (pic picture, notModified bool, err error) {
	if r := p.hub.OpenRoom(room); r != nil {
		b, ok, err := p.hub.Peek(ctx, r)
		if err != nil {
			return picture{}, false, err
		}
		if ok {
			pic := picture{etag: pictureETag(b.Epoch, b.Seq)}
			if etagMatches(ifNoneMatch, pic.etag) {
				return pic, true, nil
			}
			return p.render(ctx, pictureKey{room, b.Epoch, b.Seq}, b), false, nil
		}
	}
	if epoch, seq, ok, err := p.head(ctx, room); err != nil {
		return picture{}, false, err
	} else if ok {
		if epoch == 0 {
			pic = picture{svg: p.empty, etag: pictureETag(0, 0)}
			return pic, etagMatches(ifNoneMatch, pic.etag), nil
		}
		pic.etag = pictureETag(epoch, seq)
		if etagMatches(ifNoneMatch, pic.etag) {
			return pic, true, nil
		}
		k := pictureKey{room, epoch, seq}
		if svg, ok := p.cache.get(k); ok {
			pic.svg, pic.key = svg, k
			return pic, false, nil
		}
	}
	pic, err = p.build(ctx, room)
	if err != nil {
		return picture{}, false, err
	}
	return pic, etagMatches(ifNoneMatch, pic.etag), nil
}

// render returns the picture of b (the board under k), from the cache
// or drawn now and kept.
func (p *pictures) render(ctx context.Context, k pictureKey, b *canvas.Board) picture {
	pic := picture{etag: pictureETag(k.epoch, k.seq)}
	if k.epoch == 0 {
		pic.svg = p.empty
		return pic
	}
	if svg, ok := p.cache.get(k); ok {
		pic.svg, pic.key = svg, k
		return pic
	}
	failed := false
	pic.svg = b.SVGWith(imageDataURIs(ctx, p.images, k.room, &failed))
	if !failed {
		p.cache.add(k, pic.svg)
		pic.key = k
	}
	return pic
}

// head reads room's epoch and sequence number from storage; ok is false
// when the store cannot say without a full read.
func (p *pictures) head(ctx context.Context, room string) (epoch, seq uint64, ok bool, err error) {
	switch {
	case p.shared != nil:
		epoch, seq, err = p.shared.ReadHead(ctx, room)
		return epoch, seq, err == nil, err
	case p.store != nil:
		epoch, seq, err = p.store.Head(ctx, room)
		return epoch, seq, err == nil, err
	}
	return 0, 0, false, nil
}

// build reads room from storage and renders it. Requests for a board
// whose build is under way share it.
func (p *pictures) build(ctx context.Context, room string) (picture, error) {
	p.mu.Lock()
	c := p.flight[room]
	if c == nil {
		c = &pictureCall{done: make(chan struct{})}
		p.flight[room] = c
		p.mu.Unlock()
		go func() {
			bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), pictureBuildTimeout)
			defer cancel()
			c.pic, c.err = p.buildNow(bctx, room)
			p.mu.Lock()
			delete(p.flight, room)
			p.mu.Unlock()
			close(c.done)
		}()
	} else {
		p.mu.Unlock()
	}
	select {
	case <-c.done:
		return c.pic, c.err
	case <-ctx.Done():
		return picture{}, ctx.Err()
	}
}

func (p *pictures) buildNow(ctx context.Context, room string) (picture, error) {
	select {
	case p.builds <- struct{}{}:
		defer func() { <-p.builds }()
	case <-ctx.Done():
		return picture{}, ctx.Err()
	}
	var st *oplog.StoredRoom
	var err error
	if p.shared != nil {
		st, err = p.shared.Read(ctx, room)
	} else {
		st, err = p.store.Load(ctx, room)
	}
	if err != nil {
		return picture{}, err
	}
	b, err := oplog.StoredBoard(room, st, new(canvas.Op), nil)
	if err != nil {
		return picture{}, err
	}
	return p.render(ctx, pictureKey{room, b.Epoch, b.Seq}, b), nil
}
