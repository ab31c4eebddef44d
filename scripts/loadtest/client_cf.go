package main

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/lxzan/gws"
	"github.com/sketchpad/sketchpad/canvas"
)

// cfConn speaks Centrifuge's client protocol (version 2, protobuf) on a
// plain WebSocket, as centrifuge-go and centrifuge-js do with the
// protobuf format: every WebSocket frame holds one or more messages, each
// prefixed with its length as a varint; the client sends Commands
// (connect, subscribe, publish, each with an id that its Reply repeats),
// the server sends Replies, and a publication to a subscribed channel
// arrives as a Reply holding a Push holding a Publication. An empty Reply
// is the server's ping; the client answers with an empty Command.
//
// A publication's data is the drawer's number (author) and the op's
// number among its ops, as varints, then the op as Sketchpad's client
// frame encodes it: the relay carries the same compact points Sketchpad
// does, and the receiver checks order and loss per sender as for the
// Socket.IO peer (countPeerOp).
//
// Only the few fields used are encoded and decoded, by hand (cfFields),
// so the load generator's module needs none of Centrifuge's.
type cfConn struct{ relayConn } // state 0: waiting for the connect reply, 1: for the subscribe reply, 2: subscribed

// Field numbers of the protocol's messages (protocol/client.proto).
const (
	cfCommandID        = 1
	cfCommandConnect   = 4
	cfCommandSubscribe = 5
	cfCommandPublish   = 7

	cfReplyID    = 1
	cfReplyError = 2
	cfReplyPush  = 4

	cfPushPub = 4 // Push.pub
	cfPubData = 4 // Publication.data

	cfChannel = 1 // SubscribeRequest.channel, PublishRequest.channel
	cfData    = 2 // PublishRequest.data

	cfIDConnect, cfIDSubscribe = 1, 2 // the ids of the first two commands; publishes count from 3
)

func dialCentrifuge(c *client, base, room string) (*cfConn, error) {
	p := &cfConn{relayConn{opcode: gws.OpcodeBinary, step: "subscribing"}}
	if err := p.dial(p, c, base+"/connection/websocket?format=protobuf", "centrifuge"); err != nil {
		return nil, err
	}
	conn := p.conn
	// Connect (anonymous, an empty ConnectRequest), then subscribe once
	// it is accepted (OnMessage).
	cmd := appendCFField(appendCFVarint(nil, cfCommandID, cfIDConnect), cfCommandConnect, nil)
	if err := conn.WriteMessage(gws.OpcodeBinary, appendCFDelimited(nil, cmd)); err != nil {
		return nil, err
	}
	return p, nil
}

func (p *cfConn) OnMessage(conn *gws.Conn, msg *gws.Message) {
	defer msg.Close()
	c, l := p.c, p.c.l
	now := l.now()
	b := msg.Bytes()
	l.countDown(len(b))
	for len(b) > 0 {
		n, k := binary.Uvarint(b)
		if k <= 0 || uint64(len(b)-k) < n {
			l.fail("centrifuge: a truncated message")
			return
		}
		reply := b[k : k+int(n)]
		b = b[k+int(n):]
		if len(reply) == 0 { // ping
			_ = conn.WriteMessage(gws.OpcodeBinary, []byte{0})
			continue
		}
		var id uint64
		var push, errMsg []byte
		err := cfFields(reply, func(f int, v uint64, data []byte) {
			switch f {
			case cfReplyID:
				id = v
			case cfReplyError:
				errMsg = data
			case cfReplyPush:
				push = data
			}
		})
		switch {
		case err != nil:
			l.fail("centrifuge: " + err.Error())
			return
		case errMsg != nil && p.state < 2:
			p.ready <- fmt.Errorf("centrifuge refused: %q", errMsg)
			return
		case errMsg != nil:
			l.fail(fmt.Sprintf("centrifuge: error reply %q", errMsg))
		case id == cfIDConnect && p.state == 0:
			p.state = 1
			sub := appendCFField(nil, cfChannel, []byte(c.room.name))
			cmd := appendCFField(appendCFVarint(nil, cfCommandID, cfIDSubscribe), cfCommandSubscribe, sub)
			_ = conn.WriteMessage(gws.OpcodeBinary, appendCFDelimited(nil, cmd))
		case id == cfIDSubscribe && p.state == 1:
			p.state = 2
			p.ready <- nil
		case push != nil:
			var data []byte
			err := cfFields(push, func(f int, _ uint64, pub []byte) {
				if f == cfPushPub {
					err := cfFields(pub, func(f int, _ uint64, d []byte) {
						if f == cfPubData {
							data = d
						}
					})
					if err != nil {
						data = nil
					}
				}
			})
			if err != nil || data == nil {
				l.fail("centrifuge: a push without a publication")
				continue
			}
			a, k1 := binary.Uvarint(data)
			n, k2 := binary.Uvarint(data[max(k1, 0):])
			if k1 <= 0 || k2 <= 0 {
				l.fail("centrifuge: a publication without its author and number")
				continue
			}
			countPeerOp(c, now, int64(a), int64(n), data)
		}
	}
}

// cfEncoder builds a drawer's publish commands.
type cfEncoder struct {
	sp      spEncoder
	author  uint32
	channel []byte
	id      uint64
	data    []byte
	buf     []byte
}

func (e *cfEncoder) publish(n int64, op []byte) []byte {
	e.data = binary.AppendUvarint(binary.AppendUvarint(e.data[:0], uint64(e.author)), uint64(n))
	e.data = append(e.data, op...)
	if e.id < cfIDSubscribe {
		e.id = cfIDSubscribe
	}
	e.id++
	req := appendCFField(appendCFField(nil, cfChannel, e.channel), cfData, e.data)
	cmd := appendCFField(appendCFVarint(nil, cfCommandID, e.id), cfCommandPublish, req)
	e.buf = appendCFDelimited(e.buf[:0], cmd)
	return e.buf
}

func (e *cfEncoder) begin(n int64, p canvas.Point) []byte {
	return e.publish(n, e.sp.begin(p, 0x1e1e1eff))
}
func (e *cfEncoder) points(n int64, ps []canvas.Point) []byte { return e.publish(n, e.sp.points(ps)) }
func (e *cfEncoder) end(n int64) []byte                       { return e.publish(n, e.sp.end()) }

// Protobuf's wire format, the part the protocol's messages use: a field
// is a key (field number << 3 | wire type) then a varint (type 0) or a
// length and that many bytes (type 2: strings, bytes, messages).

func appendCFVarint(b []byte, field int, v uint64) []byte {
	return binary.AppendUvarint(binary.AppendUvarint(b, uint64(field)<<3), v)
}

func appendCFField(b []byte, field int, data []byte) []byte {
	b = binary.AppendUvarint(b, uint64(field)<<3|2)
	return append(binary.AppendUvarint(b, uint64(len(data))), data...)
}

func appendCFDelimited(b, msg []byte) []byte {
	return append(binary.AppendUvarint(b, uint64(len(msg))), msg...)
}

var errCFMalformed = errors.New("malformed protobuf message")

// cfFields calls f for each field of the protobuf message m: its number,
// and its varint value or its bytes. Fixed-width fields are skipped;
// groups and anything truncated are an error.
func cfFields(m []byte, f func(field int, v uint64, data []byte)) error {
	for len(m) > 0 {
		key, k := binary.Uvarint(m)
		if k <= 0 || key>>3 == 0 || key>>3 > 1<<29 {
			return errCFMalformed
		}
		m = m[k:]
		field := int(key >> 3)
		switch key & 7 {
		case 0:
			v, k := binary.Uvarint(m)
			if k <= 0 {
				return errCFMalformed
			}
			m = m[k:]
			f(field, v, nil)
		case 2:
			n, k := binary.Uvarint(m)
			if k <= 0 || uint64(len(m)-k) < n {
				return errCFMalformed
			}
			f(field, 0, m[k:k+int(n)])
			m = m[k+int(n):]
		case 1:
			if len(m) < 8 {
				return errCFMalformed
			}
			m = m[8:]
		case 5:
			if len(m) < 4 {
				return errCFMalformed
			}
			m = m[4:]
		default:
			return errCFMalformed
		}
	}
	return nil
}
