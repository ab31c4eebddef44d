package server

// Responses made per request (a board's picture, a page carrying its board's
// links) are compressed here as they are sent, since no build could
// compress them ahead (assets.go serves the build's precompressed files).
// A big board's picture is megabytes of path data that gzip shrinks
// several times over; a response below compressMin is sent as it is, as
// the bytes saved would not be worth the work or a header's worth of
// bytes. Only gzip: every browser takes it, and Brotli's better ratio
// costs far more CPU at the levels that get it. Gzip's fastest level:
// made per request, a megabyte at the default level costs several times
// the CPU for about a fifth fewer bytes, and a picture is compressed once
// per state of its board (pictures.send keeps it beside the rendering).

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
)

// compressMin is the smallest body compressed, in bytes.
const compressMin = 1024

// gzipWriters are reused: a gzip.Writer holds a few hundred KB of tables.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
	return w
}}

// compressedCoding is the coding a response of n bytes goes out in for
// r: "gzip" when r takes it and n is worth it, else "" (identity). Its
// caller sets Vary: Accept-Encoding whatever it returns, on 304s too.
func compressedCoding(r *http.Request, n int) string {
	if n >= compressMin && codingQ(r.Header.Get("Accept-Encoding"), "gzip") > 0 {
		return "gzip"
	}
	return ""
}

// gzipBytes is body gzipped.
func gzipBytes(body []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(body)/3 + 64)
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(&buf)
	_, _ = w.Write(body) // a bytes.Buffer takes everything
	_ = w.Close()
	return buf.Bytes()
}

// sendCoded writes body with status and ctype in coding (from
// compressedCoding); coded is body in that coding when the caller has it
// already (nil: compress it now).
func sendCoded(c echo.Context, status int, ctype string, body, coded []byte, coding string) error {
	if coding == "" {
		return c.Blob(status, ctype, body)
	}
	if coded == nil {
		coded = gzipBytes(body)
	}
	c.Response().Header().Set(echo.HeaderContentEncoding, coding)
	return c.Blob(status, ctype, coded)
}
