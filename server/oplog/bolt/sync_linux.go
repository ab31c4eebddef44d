package bolt

import (
	"os"

	"golang.org/x/sys/unix"
)

// syncData makes f's data durable without its timestamps (fdatasync): a
// log file written inside its size then costs no journal commit.
func syncData(f *os.File) error {
	for {
		err := unix.Fdatasync(int(f.Fd()))
		if err != unix.EINTR {
			return err
		}
	}
}
