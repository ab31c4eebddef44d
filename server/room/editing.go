package room

import "github.com/sketchpad/sketchpad/canvas"

// Who edits which text (canvas/message_editing.go): each person's claim,
// relayed to the others at once (a claim is rare: one when a text opens,
// one when it closes), replayed to joiners, and dropped when the person
// leaves, so a claim never outlives its editor's connection. In Redis
// mode the other replicas with the board open hear of it too (remote.go).

// Editing says that p has the text named id open for typing ((0, 0):
// none).
func (r *Room) Editing(p Peer, id canvas.StrokeID) {
	r.post(event{kind: evEditing, s: p, cur: canvas.Cursor{X: int32(id.Author), Y: int32(id.N)}})
}

// editing records and relays a claim (r's loop only).
func (r *Room) editing(s Peer, id canvas.StrokeID) {
	m := r.sessions[s]
	if m == nil {
		return
	}
	if id == (canvas.StrokeID{}) {
		if _, had := r.editors[m.author]; !had {
			return
		}
		delete(r.editors, m.author)
	} else {
		r.editors[m.author] = id
	}
	start := len(r.out)
	r.out = canvas.AppendEditors(r.out, []canvas.Editor{{Editor: m.author, Text: id}})
	r.relayNews(start)
	r.outUrgent = true
}

// appendEditors appends the claims held now, here and on other
// replicas, for a joiner.
func (r *Room) appendEditors(b []byte) []byte {
	return r.appendClaims(b, true)
}

// appendClaims appends an Editors message with the claims held here, and
// with remote those held on other replicas (for a joiner), if any.
func (r *Room) appendClaims(b []byte, remote bool) []byte {
	es := make([]canvas.Editor, 0, len(r.editors))
	for a, id := range r.editors {
		es = append(es, canvas.Editor{Editor: a, Text: id})
	}
	if remote {
		for _, rp := range r.rem.by {
			for a, id := range rp.editors {
				if _, mine := r.editors[a]; !mine {
					es = append(es, canvas.Editor{Editor: a, Text: id})
				}
			}
		}
	}
	if len(es) == 0 {
		return b
	}
	return canvas.AppendEditors(b, es)
}
