//go:build !linux

package bolt

import "os"

// syncData makes f's data durable (fsync where fdatasync is not offered).
func syncData(f *os.File) error { return f.Sync() }
