package main

import (
	"bytes"
	"fmt"
	"net/url"
	"strconv"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// peerConn speaks Socket.IO v5 over Engine.IO v4 on a plain WebSocket, as
// socket.io-client does once it is on the websocket transport: the server
// opens with `0{"sid":...}`, the client joins the default namespace with
// `40`, the server confirms with `40{...}`, and events are text frames
// `42["p",{...}]`. Engine.IO pings (`2`) are answered (`3`).
//
// A drawer's event is a JSON stroke message, the way such apps send
// points: {"a":author,"n":its message number,"s":stroke,"t":"b"|"p"|"e",
// ..., "p":[[x,y],...]} with coordinates in CSS pixels. A receiver reads
// only a and n: n numbers each sender's messages, so a receiver sees loss
// and duplication per sender (Socket.IO does not order across senders).
type peerConn struct{ relayConn } // state 0: waiting for open, 1: for the namespace, 2: connected

func peerURL(base, room string) string {
	return base + "/socket.io/?EIO=4&transport=websocket&room=" + url.QueryEscape(room)
}

func dialPeer(c *client, base, room string) (*peerConn, error) {
	p := &peerConn{relayConn{opcode: gws.OpcodeText, step: "connecting"}}
	if err := p.dial(p, c, peerURL(base, room), "peer"); err != nil {
		return nil, err
	}
	return p, nil
}

var eventPrefix = []byte(`42["p",{"a":`)

func (p *peerConn) OnMessage(conn *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	c, l := p.c, p.c.l
	now := l.now()
	b := msg.Bytes()
	l.countDown(len(b))
	if len(b) == 0 {
		return
	}
	switch {
	case b[0] == '2': // Engine.IO ping
		_ = conn.WriteMessage(gws.OpcodeText, []byte("3"))
		return
	case p.state == 0 && b[0] == '0':
		p.state = 1
		_ = conn.WriteMessage(gws.OpcodeText, []byte("40"))
		return
	case p.state == 1 && bytes.HasPrefix(b, []byte("40")):
		p.state = 2
		p.ready <- nil
		return
	case p.state == 1 && bytes.HasPrefix(b, []byte("44")):
		p.ready <- fmt.Errorf("namespace refused: %s", b)
		return
	case !bytes.HasPrefix(b, eventPrefix):
		return
	}
	handlePeerEvent(c, now, b, eventPrefix)
}

// handlePeerEvent checks and counts event b, received at now: prefix,
// then the author, its message number and the rest.
func handlePeerEvent(c *client, now int64, b, prefix []byte) {
	l := c.l
	if !bytes.HasPrefix(b, prefix) {
		l.fail("peer: unexpected event " + string(b[:min(len(b), 60)]))
		return
	}
	a, rest, ok := leadingInt(b[len(prefix):])
	if !ok || !bytes.HasPrefix(rest, []byte(`,"n":`)) {
		l.fail("peer: unexpected event " + string(b[:min(len(b), 60)]))
		return
	}
	n, _, ok := leadingInt(rest[5:])
	if !ok {
		l.fail("peer: unexpected event " + string(b[:min(len(b), 60)]))
		return
	}
	countPeerOp(c, now, a, n, b[len(prefix):])
}

// countPeerOp counts op n of author a, received at now, whose bytes are b:
// a gap, a duplicate or the next one, and its latency.
func countPeerOp(c *client, now, a, n int64, b []byte) {
	l := c.l
	d := c.drawerOf(uint32(a))
	if d == nil {
		c.foreign++
		return
	}
	want := c.counts[d.ord]
	switch {
	case uint64(n) < want:
		c.dups++
		return
	case uint64(n) > want:
		c.gaps += uint64(n) - want
	}
	c.counts[d.ord] = uint64(n) + 1
	c.ops++
	c.seen.Store(int64(c.ops))
	c.hash = fnv(c.hash, b)
	if n >= int64(len(d.sent)) {
		return
	}
	sent := d.sent[n].Load()
	if sent == 0 {
		l.fail("peer: a message arrived that was never sent")
		return
	}
	if !l.counts(sent) {
		return
	}
	if d == c.d {
		// The author's own op, back from a relay that sends a
		// publication to every subscriber, its publisher too: counted as
		// Sketchpad's echo is (not a delivery to a peer, nor a peer's
		// latency), so that both sides' deliveries per CPU-second count
		// the same deliveries.
		l.self.add(now - sent)
		l.selfPoints.Add(int64(d.pts[n]))
		return
	}
	l.lat.add(now - sent)
	if c.replica == d.c.replica {
		l.latNear.add(now - sent)
	} else {
		l.latFar.add(now - sent)
	}
	l.peerPoints.Add(int64(d.pts[n]))
}

func leadingInt(b []byte) (int64, []byte, bool) {
	i := 0
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	if i == 0 {
		return 0, b, false
	}
	v, err := strconv.ParseInt(string(b[:i]), 10, 64)
	return v, b[i:], err == nil
}

// peerEncoder builds a drawer's JSON stroke events.
type peerEncoder struct {
	author uint32
	stroke uint32
	buf    []byte
}

func (e *peerEncoder) head(n int64, t byte) {
	e.buf = append(e.buf[:0], eventPrefix...)
	e.buf = strconv.AppendUint(e.buf, uint64(e.author), 10)
	e.buf = append(e.buf, `,"n":`...)
	e.buf = strconv.AppendInt(e.buf, n, 10)
	e.buf = append(e.buf, `,"s":`...)
	e.buf = strconv.AppendUint(e.buf, uint64(e.stroke), 10)
	e.buf = append(e.buf, `,"t":"`...)
	e.buf = append(e.buf, t, '"')
}

// coord writes a board coordinate (1/4 CSS px) as CSS pixels: 1234.25.
func appendCSS(b []byte, v int32) []byte {
	if v < 0 {
		b = append(b, '-')
		v = -v
	}
	b = strconv.AppendInt(b, int64(v/4), 10)
	switch v % 4 {
	case 1:
		b = append(b, ".25"...)
	case 2:
		b = append(b, ".5"...)
	case 3:
		b = append(b, ".75"...)
	}
	return b
}

func (e *peerEncoder) pts(ps []canvas.Point) {
	e.buf = append(e.buf, `,"p":[`...)
	for i, p := range ps {
		if i > 0 {
			e.buf = append(e.buf, ',')
		}
		e.buf = append(e.buf, '[')
		e.buf = appendCSS(e.buf, p.X)
		e.buf = append(e.buf, ',')
		e.buf = appendCSS(e.buf, p.Y)
		e.buf = append(e.buf, ']')
	}
	e.buf = append(e.buf, ']')
}

func (e *peerEncoder) begin(n int64, p canvas.Point) []byte {
	e.stroke++
	e.head(n, 'b')
	e.buf = append(e.buf, `,"c":"#1e1e1e","w":2`...)
	e.pts([]canvas.Point{p})
	return append(e.buf, "}]"...)
}

func (e *peerEncoder) points(n int64, ps []canvas.Point) []byte {
	e.head(n, 'p')
	e.pts(ps)
	return append(e.buf, "}]"...)
}

func (e *peerEncoder) end(n int64) []byte {
	e.head(n, 'e')
	return append(e.buf, "}]"...)
}
