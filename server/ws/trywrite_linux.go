//go:build linux

package ws

import (
	"net"
	"syscall"
	"unsafe"
)

// tryWritev makes one attempt to write parts to tc without waiting: a
// single writev(2) on the socket (non-blocking, as every socket of Go's
// is), under the socket's write lock (syscall.RawConn.Write), so gws's
// writes cannot land inside it. It returns how many bytes the socket took:
// fewer than all, with a nil error, when its buffer is full.
func tryWritev(tc *net.TCPConn, parts ...[]byte) (int, error) {
	rc, err := tc.SyscallConn()
	if err != nil {
		return 0, err
	}
	var iov [4]syscall.Iovec
	k := 0
	for _, p := range parts {
		if len(p) > 0 {
			iov[k].Base = &p[0]
			iov[k].SetLen(len(p))
			k++
		}
	}
	var wrote int
	var werr error
	err = rc.Write(func(fd uintptr) bool {
		for {
			n, _, e := syscall.Syscall(syscall.SYS_WRITEV, fd, uintptr(unsafe.Pointer(&iov[0])), uintptr(k))
			switch e {
			case 0:
				wrote = int(n)
			case syscall.EINTR:
				continue
			case syscall.EAGAIN:
			default:
				werr = e
			}
			return true // never wait: what is left goes to the writer
		}
	})
	if err != nil {
		return wrote, err
	}
	return wrote, werr
}
