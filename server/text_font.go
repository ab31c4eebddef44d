package server

import (
	"bytes"
	"compress/gzip"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/sketchpad/sketchpad/canvas"
)

// textFontPath serves the one font texts are drawn and measured in
// (canvas/textfont.go): pages load it through @font-face when they first
// draw a text, and the server's SVGs name it too.
const textFontPath = canvas.TextFontPath

// textFontAsset is the font as served: gzip (less than half its bytes)
// for the browsers that take it, else as it is, each with its own strong
// ETag. Compressed once, at the first request, so that a server that never
// serves it (or a test) does not pay for it at start.
var textFontAsset = sync.OnceValue(func() *asset {
	var z bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&z, gzip.BestCompression) // a valid level: no error
	_, _ = zw.Write(canvas.TextFont)                       // a bytes.Buffer does not fail
	_ = zw.Close()
	a := newAsset("text.ttf", canvas.TextFont)
	a.ctype = "font/ttf"
	// The bytes are part of the build: kept a day, then revalidated.
	a.cache = "public, max-age=86400"
	a.forms = append([]form{{coding: "gzip", body: z.Bytes(), etag: etagOf(canvas.TextFont, "gzip")}}, a.forms...)
	return a
})

// textFont is GET /font/text.ttf.
func textFont(c echo.Context) error {
	return textFontAsset().serve(c)
}
