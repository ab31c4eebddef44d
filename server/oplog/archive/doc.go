// Package archive keeps boards in PostgreSQL: the boards nobody uses,
// moved out of Redis (cold boards), and the history older than what Redis
// keeps. It is the store only; the Redis log (oplog/redis, archive.go)
// decides when a board moves and guards each move with a lease, and this
// package writes and reads the rows under that protocol.
//
// Tables (schema.go; the service creates and migrates them at start, one
// migration per version in sketchpad_schema, under an advisory lock so
// replicas starting together migrate once):
//
//	boards       one row per board: its head (epoch, seq, author ids handed
//	             out, the latest snapshot at snapseq, each author's applied
//	             count), its state and the generation (gen) of the move that
//	             last wrote it
//	ops          every op kept: (room, seq) -> author, op bytes
//	checkpoints  older snapshots: (room, seq) -> board bytes
//	versions     version records (oplog.AppendVersion): (room, seq) -> record
//	images       a board's images (oplog.Images), copied when the board is
//	             archived: (room, id = SHA-256 hex) -> bytes (images.go)
//
// A row's state says which store holds the board:
//
//	live       Redis holds it; the row is history only (and whatever the
//	           last archive attempt wrote), never loaded as the board itself
//	           unless Redis lost it (then under a new epoch: see below)
//	archiving  a move to PostgreSQL committed here but not yet confirmed by
//	           Redis: authoritative only if Redis's tombstone for the board
//	           names the same generation (the keys were removed)
//	archived   PostgreSQL holds the board; Redis has no keys for it
//	restoring  a replica is loading it back into Redis (lease_until bounds
//	           how long others wait for it)
//
// Generations only grow (Put refuses an older one), so two replicas
// archiving one board at once, or a slow one arriving after a faster one,
// never write an older board over a newer one. A board is loaded back
// under its own epoch only when the row is certainly the board (archived,
// or archiving with a matching tombstone); in every other case it comes
// back under a new epoch, so that clients holding a newer state of the old
// epoch resynchronise from a snapshot instead of forking.
package archive
