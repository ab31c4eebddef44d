package oplog

// Relay is what a Log shared by replicas may also do: carry a room's
// replica-local news (who is on the board here, their cursors, laser
// trails, views and text claims: everything a room relays to its people
// but never numbers or stores) to the other replicas that have the room
// open. A room finds it by asserting its Log to Relay; a log no other
// replica reads (the local one) does not implement it, and its rooms
// relay nothing.
//
// The log treats a message as opaque bytes: the room encodes and decodes
// it (server/room/relay_codec.go). Delivery is at most once and never
// stored: a replica that subscribes late or drops a message learns the
// state again from the periodic announcements the rooms make.
type Relay interface {
	// Relay sends msg to the replicas watching room, other than this
	// one. It never blocks: the log queues msg and may drop it (counted)
	// when its queue is full. msg is the caller's to reuse once Relay
	// returns.
	Relay(room string, msg []byte)
}

// RelayListener is what a Listener implements to hear other replicas'
// news for the room it watches. The log calls it from its subscriber, so
// it must not block (a room that cannot take a message now drops it).
type RelayListener interface {
	Listener
	// Relayed hands over msg (the listener's to keep), which another
	// replica, named by from (an id the log gives each replica, never 0),
	// relayed for the room. A log never hands a replica its own news.
	Relayed(from uint64, msg []byte)
}
