package room

import "github.com/sketchpad/sketchpad/canvas"

// Peer is what a room needs of a connection: the WebSocket session
// implements it (server/ws), and the room's unit tests use a fake. A room
// calls these from its own goroutine and must never wait on a peer, so
// none of them may block.
type Peer interface {
	// Send queues a frame shared with the room's other peers: it must
	// not be changed or kept past its write.
	Send(frame []byte)
	// SendParts queues one frame made of a joiner's parts: its own head
	// and tail, and the room's shared snapshot between them (written as
	// it is, not copied).
	SendParts(head, shared, tail []byte)
	// Close closes the connection with a code and reason for the person.
	Close(code canvas.CloseCode, reason string)
	// Closed reports whether the connection closed, or Close was called.
	Closed() bool
}

// Moderator is implemented by a Peer that may moderate (it came through a
// moderator link or a moderate token): only such a peer may remove
// someone's work (canvas.OpRemove) or undo a removal. A Peer without the
// method may not.
type Moderator interface {
	Moderates() bool
}

func moderates(p Peer) bool {
	m, ok := p.(Moderator)
	return ok && m.Moderates()
}

// Viewer is implemented by a Peer that can only look (it came through a
// view link or a view token): the room marks its person as viewing in
// Presence (the color's alpha 0), whatever the page sent. A Peer without
// the method draws.
type Viewer interface {
	ViewOnly() bool
}

func viewOnly(p Peer) bool {
	v, ok := p.(Viewer)
	return ok && v.ViewOnly()
}

// Address is where a peer comes from, for cfg.MaxRoomsPerIP: the session
// layer passes its per-address entry (any comparable value). A shared
// address (the overflow entry of many addresses) is not limited.
type Address interface {
	Shared() bool
}

// What a peer's session says to the room. Each is queued on the room's
// inbox in the order the session calls them, and blocks while the inbox
// is full: that pushes back on the sender's connection, not the room.

// Join says Hello for p, which Hub.Acquire attached to the room.
func (r *Room) Join(p Peer, h *canvas.Hello) { r.post(event{kind: evJoin, s: p, hello: h}) }

// Leave detaches p, which closed.
func (r *Room) Leave(p Peer) { r.post(event{kind: evLeave, s: p}) }

// Op hands the room an op p sent (validated; the room owns data).
func (r *Room) Op(p Peer, data []byte) { r.post(event{kind: evOp, s: p, data: data}) }

// Cursor moves p's cursor.
func (r *Room) Cursor(p Peer, c canvas.Cursor) { r.post(event{kind: evCursor, s: p, cur: c}) }

// Laser relays a stretch of p's laser trail (never stored). The room
// keeps l; the caller must not reuse it.
func (r *Room) Laser(p Peer, l *canvas.Laser) { r.post(event{kind: evLaser, s: p, laser: l}) }

// View relays where p looks (never stored): whoever follows p fits it.
func (r *Room) View(p Peer, v canvas.View) { r.post(event{kind: evView, s: p, view: v}) }

// Rename sets p's name and color.
func (r *Room) Rename(p Peer, n *canvas.Name) { r.post(event{kind: evName, s: p, name: n}) }
