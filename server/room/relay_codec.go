package room

import (
	"errors"
	"fmt"

	"github.com/sketchpad/sketchpad/canvas"
)

// What a room relays to the room of the same board on other replicas
// (oplog.Relay, remote.go): a kind byte, then canvas server messages, the
// very ones the room sends its own people (Presence, Leave, Cursors,
// Lasers, Views, Editors), so that relaying costs no codec of its own and
// a receiving room forwards them to its people as they are.
//
// The sender is another replica, our own code: a message is trusted to
// say what that replica's people do, no further. It is decoded with the
// canvas decoders' bounds, only the message types above are accepted, and
// no list may be longer than a board's people on one replica; anything
// else is dropped whole and counted (sketchpad_relay_drops_total), never
// half applied.

// relayKind is the first byte of a relayed message.
type relayKind byte

const (
	// relayNews: what changed on the sender since its last message:
	// joins and renames (Presence), leaves (Leave), and the cursors,
	// laser trails, views and text claims of its people.
	relayNews relayKind = 1
	// relayFull: everyone on the sender (a Presence each) and their text
	// claims (Editors). It replaces what the receiver knew of the sender:
	// whoever it no longer lists has left. Sent every announce interval,
	// and in answer to an ask or to a replica not heard from before.
	relayFull relayKind = 2
	// relayAsk: a Full, and the sender asks every other replica for its
	// own (it just opened the board, or its subscription was set up
	// again and it may have missed news).
	relayAsk relayKind = 3
	// relayBye: the sender closed the board (idle, or shutting down):
	// its people left.
	relayBye relayKind = 4
)

// relayMsg is a decoded relayed message. It owns its slices.
type relayMsg struct {
	kind    relayKind
	people  []canvas.Presence
	leaves  []uint32
	cursors []canvas.AuthorCursor
	lasers  []canvas.AuthorLaser
	views   []canvas.AuthorView
	editors []canvas.Editor
}

var errRelayKind = errors.New("relay: unknown kind")

// decodeRelay decodes a relayed message whose lists may each hold at most
// limit entries (the people one replica may have on a board).
func decodeRelay(b []byte, limit int) (*relayMsg, error) {
	if len(b) == 0 {
		return nil, errors.New("relay: empty message")
	}
	m := &relayMsg{kind: relayKind(b[0])}
	if m.kind < relayNews || m.kind > relayBye {
		return nil, errRelayKind
	}
	err := canvas.DecodeServerFrame(b[1:], func(s *canvas.ServerMsg) error {
		switch s.Type {
		case canvas.MsgPresence:
			m.people = append(m.people, s.Presence)
		case canvas.MsgLeave:
			m.leaves = append(m.leaves, s.Leave)
		case canvas.MsgCursors:
			m.cursors = append(m.cursors, s.Cursors...)
		case canvas.MsgLasers:
			for _, l := range s.Lasers {
				m.lasers = append(m.lasers, canvas.AuthorLaser{Author: l.Author, Points: append([]canvas.Cursor(nil), l.Points...)})
			}
		case canvas.MsgViews:
			m.views = append(m.views, s.Views...)
		case canvas.MsgEditors:
			m.editors = append(m.editors, s.Editors...)
		default:
			return fmt.Errorf("relay: message type %#x", s.Type)
		}
		if max(len(m.people), len(m.leaves), len(m.cursors), len(m.lasers), len(m.views), len(m.editors)) > limit {
			return errors.New("relay: more entries than people on a replica")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if m.kind == relayBye && len(b) > 1 {
		return nil, errors.New("relay: a bye carries nothing")
	}
	return m, nil
}
