package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sketchpad/sketchpad/canvas"
)

// textFontPath serves the one font texts are drawn and measured in
// (canvas/textfont.go): pages load it through @font-face, and the
// server's SVGs name it too.
const textFontPath = canvas.TextFontPath

// textFont is GET /font/text.ttf. The bytes are part of the build, so
// they are cached for a day and revalidated by an ETag of the build's font.
func textFont(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=86400")
	h.Set("ETag", textFontETag)
	if c.Request().Header.Get("If-None-Match") == textFontETag {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "font/ttf", canvas.TextFont)
}

var textFontETag = `"gofont-regular-` + canvas.TextFontDigest() + `"`
