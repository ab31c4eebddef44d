package server

import (
	"errors"
	"fmt"
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
	return errors.Join(errs...)
}
