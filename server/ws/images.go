package ws

import (
	"context"
	"time"

	"github.com/sketchpad/sketchpad/canvas"
)

// An Image op names an image by its hash; its bytes were uploaded over
// HTTP beforehand. The session checks that the board holds them before
// the op reaches the room, so no page is ever told to draw an image that
// cannot be fetched (a page that skipped the upload, or a hostile one
// naming another board's image). The check reads the store, on this
// connection's read goroutine, so only the sender waits for it; hashes
// found are remembered for the session (a board never loses an image),
// so re-placing an image while dragging it costs nothing.

// ImageChecker says whether a board holds an image (oplog.Images).
type ImageChecker interface {
	HasImage(ctx context.Context, room, hash string) (bool, error)
}

// SetImages sets where Image ops' hashes are checked; without it, every
// Image op is refused.
func (h *Handler) SetImages(im ImageChecker) { h.images = im }

// imageCheckTimeout bounds one check.
const imageCheckTimeout = 5 * time.Second

// maxKnownImages bounds a session's memory of hashes found.
const maxKnownImages = 1024

// refusedImage is what the room gets in place of a refused Image: an End,
// which keeps the author's op count in step and changes nothing else.
var refusedImage = canvas.AppendOp(nil, &canvas.Op{Type: canvas.OpEnd})

// imageOp returns the op to hand the room for Image op o (data): data
// when the board holds its image, else refusedImage, and the sender is
// told why.
func (s *Session) imageOp(o *canvas.Op, data []byte) []byte {
	if s.knownImages[o.Text] {
		return data
	}
	ok := false
	var err error
	if im := s.ws.images; im != nil {
		ctx, cancel := context.WithTimeout(context.Background(), imageCheckTimeout)
		ok, err = im.HasImage(ctx, s.roomName, o.Text)
		cancel()
	}
	if !ok {
		msg := "That image is not on this board: upload it first."
		if err != nil {
			msg = "The image could not be checked right now; try again."
			s.ws.noisy.Log(s.ws.log, "check image", "room", s.roomName, "err", err)
		}
		s.Send(canvas.AppendNotice(nil, &canvas.Notice{Code: canvas.NoticeForbidden, Message: msg}))
		return refusedImage
	}
	if s.knownImages == nil || len(s.knownImages) >= maxKnownImages {
		s.knownImages = make(map[string]bool)
	}
	s.knownImages[o.Text] = true
	return data
}
