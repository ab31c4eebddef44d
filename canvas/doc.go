// Package canvas is Sketchpad's domain: the board model, the operations that
// change it, their deterministic application, and the binary wire protocol
// (version 5) that carries them between browsers and servers.
//
// It does no I/O and imports no transport, HTTP or storage package: the
// server wraps it in WebSockets, rooms and stores; the browser app carries a
// twin of it in TypeScript (frontend/src/protocol). Both are checked against
// the same test vectors in testdata/vectors.json.
//
// A session, seen from the wire (PROTOCOL.md has every byte):
//
//	client                                   server
//	Hello{epoch, lastSeq, author, name} -->
//	                                     <-- Welcome{author, applied, head}
//	                                         + Snapshot (or Ops replaying lastSeq+1..)
//	                                         + Presence for everyone here
//	Begin{stroke 7, color, width, pts} -->   seq 41 = (author 3, Begin)
//	Trace{residuals}                   -->   seq 42 = (author 3, Trace)
//	                                     <-- Ops{firstSeq 41: (3, Begin), (3, Trace)}
//	End                                -->   seq 43 ...
//
// The server owns the order: it numbers every op, and every client applies
// the same ops in the same order with [Board.Apply], so all of them hold
// byte-identical boards ([Board.AppendBinary] is canonical).
//
// A client without pressure sends a stroke's points as Trace ops, about a
// byte each: [AppendTrace] encodes them from the stroke's absolute points
// and the points sent so far (trace.go).
//
// Nothing a person does deletes a stroke: a Clear and a moderator's Remove
// sweep strokes (hide them under the sweep's name), an Unsweep shows
// exactly those again, and only a server's Purge drops swept strokes, when
// the board needs their room (sweep.go).
//
// A client that needs little of each server frame (the load generator)
// walks it with [FrameIter] and [OpsIter], which allocate nothing and check
// what they read as [DecodeServerFrame] does.
//
// Decoders are defensive: every count and length is checked against both its
// limit and the bytes that remain before anything is allocated (a Trace op,
// which has no count, decodes into at most two points per byte), and every
// error is a *ProtocolError naming what was wrong.
package canvas
