package config

import (
	"errors"
	"fmt"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// Validate refuses a combination of settings that makes no sense
// together, saying which setting to change. c must have its defaults
// filled in.
func (c *Config) Validate() error {
	var errs []error
	if c.MaxRoomsPerIP > c.MaxRooms {
		errs = append(errs, fmt.Errorf("--max-rooms-per-ip (%d) is more than --max-rooms (%d): lower --max-rooms-per-ip", c.MaxRoomsPerIP, c.MaxRooms))
	}
	if c.RoomPark < c.FlushInterval {
		// A busy room waits up to FlushInterval between frames: it would
		// park and wake between two frames of one stroke.
		errs = append(errs, fmt.Errorf("--room-park (%v) is shorter than --flush-interval (%v): raise --room-park", c.RoomPark, c.FlushInterval))
	}
	// A joiner's first frame is the board's snapshot plus what counts
	// against its send queue (its Welcome, the ops after the snapshot,
	// presence): all of it must fit the frame every client accepts, or a
	// full board could never be opened again.
	snap := int64(c.maxSnapshotBytes())
	if snap+c.SendQueueBytes > canvas.MaxServerFrame {
		errs = append(errs, fmt.Errorf("--max-board-points %d and --max-board-strokes %d allow a board whose snapshot (up to %d bytes) and a --send-queue of %d bytes would not fit the %d-byte frame clients accept: lower --max-board-points, --max-board-strokes or --send-queue",
			c.MaxBoardPoints, c.MaxBoardStrokes, snap, c.SendQueueBytes, canvas.MaxServerFrame))
	}
	// A joiner reading at --join-min-rate must get a full board within
	// maxJoinRead.
	if t := time.Duration(float64(snap) / c.JoinMinRate * float64(time.Second)); !(t <= maxJoinRead) {
		errs = append(errs, fmt.Errorf("--join-min-rate %g: a full board's snapshot (up to %d bytes under --max-board-points and --max-board-strokes) would take %s to read at it, more than %s: raise --join-min-rate or lower --max-board-points or --max-board-strokes",
			c.JoinMinRate, snap, t.Round(time.Second), maxJoinRead))
	}
	if c.ArchiveURL != "" && c.RedisURL == "" {
		errs = append(errs, errors.New("--archive-url is for Redis mode (embedded mode keeps boards and history on disk): set --redis-url too, or unset --archive-url"))
	}
	return errors.Join(errs...)
}

// maxSnapshotBytes bounds the Snapshot message of any board the limits
// allow: every point as wide as it can be (text counts with points, and
// a byte of text costs less than a point), and as many authors as a
// snapshot holds.
func (c *Config) maxSnapshotBytes() int {
	return canvas.MaxSnapshotBytes(canvas.MaxSnapshotAuthors, c.MaxBoardStrokes, c.MaxBoardPoints, 0)
}

// maxJoinRead is the longest a joiner may be given to read a full board
// at --join-min-rate. A board of the default limits at the default rate
// takes under two minutes as people draw it (about three bytes a point),
// and 12 minutes in the worst case MaxSnapshotBytes bounds (every point
// at the coordinate limits, a million authors); a joiner that slow holds
// the snapshot's memory and its connection for as long, so the bound is
// a quarter of an hour.
const maxJoinRead = 15 * time.Minute
