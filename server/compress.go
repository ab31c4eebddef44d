package server

// Responses made per request (a board's picture, a page carrying its board's
// links) are compressed here as they are sent, since no build could
// compress them ahead (assets.go serves the build's precompressed files).
// A big board's picture is megabytes of path data that gzip shrinks
// several times over; a response below compressMin is sent as it is, as
// the bytes saved would not be worth the work or a header's worth of
// bytes. Only gzip: every browser takes it, and Brotli's better ratio
// costs far more CPU at the levels that get it.

import (
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
	w, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
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

// sendCoded writes body with status and ctype in coding (from
// compressedCoding). A compressed body is streamed out, not built whole
// first: a picture can be megabytes.
func sendCoded(c echo.Context, status int, ctype string, body []byte, coding string) error {
	if coding == "" {
		return c.Blob(status, ctype, body)
	}
	resp := c.Response()
	resp.Header().Set(echo.HeaderContentType, ctype)
	resp.Header().Set(echo.HeaderContentEncoding, coding)
	resp.WriteHeader(status)
	w := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(w)
	w.Reset(resp)
	if _, err := w.Write(body); err != nil {
		return err
	}
	return w.Close()
}
