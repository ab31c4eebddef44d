package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/gif"  // registers GIF for image.DecodeConfig
	_ "image/jpeg" // registers JPEG
	_ "image/png"  // registers PNG
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server/oplog"
	_ "golang.org/x/image/webp" // registers WebP
)

// Images on boards (PROTOCOL.md "Images"): a page uploads an image's bytes
// (POST /api/boards/{room}/images), gets back its content hash, and sends
// an Image op naming it; everyone fetches the bytes at
// /b/{room}/img/{hash}. Bytes are refused before anyone sees them unless
// they are a PNG, JPEG, GIF or WebP whose bytes say so (whatever the
// request's Content-Type claims; a claim that disagrees is refused), of at
// most --image-bytes, with at most maxImagePixels pixels by the header
// (read with image.DecodeConfig: nothing is decoded, so a small file that
// would inflate to gigabytes is refused unread), within the board's
// --board-image-bytes. SVG is refused: scripts and external references
// make it a document, not a picture, and sanitizing it is a parser's
// worth of attack surface for little gain (a PNG of it does the job).

// maxImagePixels bounds an image's width × height: decoded, 40 megapixels
// is 160 MB of RGBA in a browser.
const maxImagePixels = 40_000_000

// imageTimeout bounds an upload's or a fetch's store call.
const imageTimeout = 10 * time.Second

// imageTypes are the types accepted, as http.DetectContentType names
// them, with the name image.DecodeConfig gives their format.
var imageTypes = map[string]string{
	"image/png":  "png",
	"image/jpeg": "jpeg",
	"image/gif":  "gif",
	"image/webp": "webp",
}

// ImageResponse is the answer to an upload.
type ImageResponse struct {
	Hash   string `json:"hash"`
	Type   string `json:"type"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Bytes  int    `json:"bytes"`
	URL    string `json:"url"`
}

// images returns the App's image store, or nil when its store keeps none.
func (a *App) images() oplog.Images {
	if a.shared != nil {
		return a.shared
	}
	im, _ := a.store.(oplog.Images)
	return im
}

// uploadImage is POST /api/boards/{room}/images: the body is the image.
func (a *App) uploadImage(c echo.Context) error {
	acc, err := a.resolveAccess(c, c.Param("room"))
	if err != nil {
		return err
	}
	if acc.readOnly {
		return apiError(http.StatusForbidden, "read_only", "this link can only view the board: adding an image needs the edit link")
	}
	if !acc.expires.IsZero() && !time.Now().Before(acc.expires) {
		return apiError(http.StatusUnauthorized, "token_expired", "the embed token has expired; ask the host page for a new one")
	}
	if !a.originAllowed(c.Request()) {
		return apiError(http.StatusForbidden, "origin_forbidden", "this origin may not add images to boards")
	}
	store := a.images()
	if store == nil {
		return apiError(http.StatusServiceUnavailable, "unavailable", "this server keeps no images")
	}
	limit := a.cfg.ImageBytes
	req := c.Request()
	if req.ContentLength > limit {
		return imageTooBig(limit)
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Response(), req.Body, limit))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return imageTooBig(limit)
	case err != nil:
		return apiError(http.StatusBadRequest, "bad_request", "the image could not be read: "+err.Error())
	}
	typ, cfg, err := checkImage(data, req.Header.Get(echo.HeaderContentType))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	ctx, cancel := context.WithTimeout(req.Context(), imageTimeout)
	defer cancel()
	added, err := store.PutImage(ctx, acc.room, hash, data, a.cfg.BoardImageBytes)
	switch {
	case errors.Is(err, oplog.ErrImagesFull):
		return apiError(http.StatusRequestEntityTooLarge, "board_images_full",
			fmt.Sprintf("this board's images would pass %s, the most one board may hold: no more images can be added to it", mib(a.cfg.BoardImageBytes)))
	case err != nil:
		a.log.Warn("store image", "board", acc.room, "err", err)
		return apiError(http.StatusServiceUnavailable, "unavailable", "the image could not be stored right now; try again")
	}
	status := http.StatusOK
	if added {
		status = http.StatusCreated
	}
	return c.JSON(status, ImageResponse{Hash: hash, Type: typ, Width: cfg.Width, Height: cfg.Height, Bytes: len(data),
		URL: "/b/" + c.Param("room") + "/img/" + hash})
}

func imageTooBig(limit int64) error {
	return apiError(http.StatusRequestEntityTooLarge, "image_too_big",
		fmt.Sprintf("the image is larger than %s, the most one image may be", mib(limit)))
}

func mib(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// checkImage says what data is (its type and header) or why it is refused:
// its bytes must be an accepted type, agree with a declared image type,
// and have a header that parses to a size within maxImagePixels.
func checkImage(data []byte, declared string) (string, image.Config, error) {
	sniffed := http.DetectContentType(data)
	if isSVG(data, declared) {
		return "", image.Config{}, apiError(http.StatusUnsupportedMediaType, "svg_refused",
			"SVG images are refused (they can carry scripts); paste or drop a PNG, JPEG, GIF or WebP instead")
	}
	format, ok := imageTypes[sniffed]
	if !ok {
		return "", image.Config{}, apiError(http.StatusUnsupportedMediaType, "not_an_image",
			"this is not a PNG, JPEG, GIF or WebP image (its bytes say "+sniffed+")")
	}
	if mt, _, err := mime.ParseMediaType(declared); err == nil && strings.HasPrefix(mt, "image/") && mt != sniffed {
		return "", image.Config{}, apiError(http.StatusUnsupportedMediaType, "type_mismatch",
			fmt.Sprintf("the image says it is %s but its bytes are %s", mt, sniffed))
	}
	cfg, got, err := image.DecodeConfig(bytes.NewReader(data))
	switch {
	case err != nil || got != format:
		return "", image.Config{}, apiError(http.StatusUnprocessableEntity, "bad_image", "the image is damaged: its header cannot be read")
	case cfg.Width <= 0 || cfg.Height <= 0:
		return "", image.Config{}, apiError(http.StatusUnprocessableEntity, "bad_image", "the image has no pixels")
	case int64(cfg.Width)*int64(cfg.Height) > maxImagePixels:
		return "", image.Config{}, apiError(http.StatusUnprocessableEntity, "too_many_pixels",
			fmt.Sprintf("the image is %d × %d pixels: at most %d megapixels are allowed", cfg.Width, cfg.Height, maxImagePixels/1_000_000))
	}
	return sniffed, cfg, nil
}

// isSVG reports whether the upload is (or claims to be) SVG.
func isSVG(data []byte, declared string) bool {
	if mt, _, err := mime.ParseMediaType(declared); err == nil && mt == "image/svg+xml" {
		return true
	}
	head := bytes.ToLower(data[:min(len(data), 1024)])
	return bytes.Contains(head, []byte("<svg"))
}

// serveImage is GET /b/{room}/img/{hash}: anyone who may see the board
// may fetch its images. The bytes of a hash never change, so they are
// cached for good.
func (a *App) serveImage(c echo.Context) error {
	acc, err := a.resolveAccess(c, c.Param("room"))
	if err != nil {
		return err
	}
	hash := c.Param("hash")
	if !canvas.ValidImageHash(hash) {
		return apiError(http.StatusNotFound, "no_image", "no such image: an image's name is 64 lowercase hex digits")
	}
	etag := `"` + hash + `"`
	h := c.Response().Header()
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("ETag", etag)
	if etagMatches(c.Request().Header.Get("If-None-Match"), etag) {
		return c.NoContent(http.StatusNotModified)
	}
	store := a.images()
	if store == nil {
		return apiError(http.StatusNotFound, "no_image", "this server keeps no images")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), imageTimeout)
	defer cancel()
	data, err := store.Image(ctx, acc.room, hash)
	switch {
	case errors.Is(err, oplog.ErrNoImage):
		h.Del("Cache-Control")
		h.Del("ETag")
		return apiError(http.StatusNotFound, "no_image", "this board has no such image")
	case err != nil:
		h.Del("Cache-Control")
		h.Del("ETag")
		return apiError(http.StatusServiceUnavailable, "unavailable", "the image could not be read right now; try again")
	}
	// Only stored bytes passed checkImage, so this is an image type; the
	// policy keeps a browser from treating it as anything else.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	return c.Blob(http.StatusOK, http.DetectContentType(data), data)
}

// imageDataURIs returns an SVGWith href function for room's images: each
// one as a data: URI, so the picture stands alone (a downloaded SVG, or
// one shown in an <img>, which loads nothing else). failed is set when an
// image could not be read, and the picture should not be cached.
func imageDataURIs(ctx context.Context, store oplog.Images, room string, failed *bool) func(string) string {
	if store == nil {
		return nil
	}
	return func(hash string) string {
		data, err := store.Image(ctx, room, hash)
		if err != nil {
			if !errors.Is(err, oplog.ErrNoImage) {
				*failed = true
			}
			return ""
		}
		return "data:" + http.DetectContentType(data) + ";base64," + base64.StdEncoding.EncodeToString(data)
	}
}

// copyImages copies the images hashes of board from to board to (a
// restored copy draws them there). An image from has lost is skipped: its
// op would be refused, as on the original.
func (a *App) copyImages(ctx context.Context, from, to string, hashes []string) error {
	store := a.images()
	if store == nil || len(hashes) == 0 {
		return nil
	}
	for _, h := range hashes {
		data, err := store.Image(ctx, from, h)
		if errors.Is(err, oplog.ErrNoImage) {
			continue
		}
		if err != nil {
			return err
		}
		// The copy holds no more than the original did: its budget is
		// no tighter than the original's limit.
		if _, err := store.PutImage(ctx, to, h, data, max(a.cfg.BoardImageBytes, int64(len(data))*int64(len(hashes)))); err != nil {
			return err
		}
	}
	return nil
}
