package canvas

// CloseCode is a WebSocket close code with a meaning in this protocol
// (PROTOCOL.md "Close codes"). The 1xxx codes are the standard ones the
// protocol gives a meaning; the 4xxx codes are Sketchpad's own, numbered
// after the HTTP status they resemble (4400 bad request, 4429 too many
// requests). Every code has one name, here and in the browser app's
// frontend/src/protocol/codes.ts; the test vectors pin the two lists.
//
// This file imports nothing: vectors_test.go type-checks it alone to list
// every code in the shared vectors.
type CloseCode uint16

// Close codes. Each says who closes and what the other side should do.
const (
	// CloseGoingAway (server): shutting down; reconnect with backoff.
	CloseGoingAway CloseCode = 1001
	// CloseUnsupported (server): a text frame; only binary frames are
	// protocol.
	CloseUnsupported CloseCode = 1003
	// CloseAbnormal is never sent: it is what a side reports when the
	// connection ended without a close frame (dropped, or never opened).
	CloseAbnormal CloseCode = 1006
	// CloseTooLarge (server): a frame larger than the server reads.
	CloseTooLarge CloseCode = 1009
	// CloseInternal (server): an internal error; reconnect with backoff.
	CloseInternal CloseCode = 1011
	// CloseReset (server): the board's history was lost and restarted
	// under a new epoch; reconnect, and Welcome brings the new epoch.
	CloseReset CloseCode = 1012
	// CloseTryAgain (server): the board's storage is unreachable, or the
	// board is at its limit of people; reconnect later.
	CloseTryAgain CloseCode = 1013
	// CloseReplaced (server): a newer connection resumed this author; the
	// newer one is live, so nothing is to be done.
	CloseReplaced CloseCode = 4000
	// CloseSlow (server): the client read too slowly (its send queue
	// overflowed); reconnect with backoff and resync.
	CloseSlow CloseCode = 4008
	// CloseMalformed (server): a malformed frame; the client drops the op
	// the server refused and reconnects.
	CloseMalformed CloseCode = 4400
	// CloseOutOfOrder (server): an op before Hello, or a second Hello.
	CloseOutOfOrder CloseCode = 4401
	// CloseReadOnly (server): an op from a read-only (view link)
	// connection.
	CloseReadOnly CloseCode = 4403
	// CloseGap (server): an op index ahead of what the room holds;
	// reconnect, and Welcome says where to resume.
	CloseGap CloseCode = 4409
	// CloseExpired (server): an op after the connection's embed token
	// expired; reconnecting with the same token is refused.
	CloseExpired CloseCode = 4410
	// CloseVersion (server): an unsupported protocol version; reload.
	CloseVersion CloseCode = 4426
	// CloseRateLimited (server): sent faster than the rate limits for too
	// long, after NoticeRateLimited; reconnect with backoff, send less.
	CloseRateLimited CloseCode = 4429
	// CloseBadServerFrame (client): the server sent a frame the client
	// could not decode, or skipped a sequence number; the client
	// reconnects. Numbered as HTTP's 502 (a bad answer from upstream), so
	// it never shares a code with the server's.
	CloseBadServerFrame CloseCode = 4502
)

// NoticeCode is a Notice message's code (PROTOCOL.md "Server messages").
// Codes the client acts on are small numbers; hints borrow an HTTP
// status. A code the client does not know is a hint shown as it is.
type NoticeCode uint16

// Notice codes.
const (
	// NoticePaused: the board's storage is unreachable, so the room cannot
	// acknowledge ops. The client keeps what it draws (unacknowledged) and
	// shows that drawing is paused until NoticeResumed.
	NoticePaused NoticeCode = 1
	// NoticeResumed: the storage is back; unacknowledged ops will be.
	NoticeResumed NoticeCode = 2
	// NoticeLoading: sent in a frame of its own before a joiner's first
	// frame when that frame is big (a big board's snapshot). On a slow
	// link the board takes longer to arrive than a client would wait for
	// a silent connection: the client waits for it (the server drops a
	// joiner that reads too slowly itself) and says the board is loading.
	NoticeLoading NoticeCode = 3
	// NoticeForbidden (a hint): an op was refused because this connection
	// may not send it (a Remove, or the undo of one, from someone who is
	// not a moderator); the server numbered an End in its place.
	NoticeForbidden NoticeCode = 403
	// NoticeBoardFull (a hint): an op was refused because the board is
	// full; the server numbered an End in its place.
	NoticeBoardFull NoticeCode = 413
	// NoticeRateLimited (a hint): the client sends faster than the rate
	// limits and is being slowed down; the message says for how long.
	NoticeRateLimited NoticeCode = 429
)
