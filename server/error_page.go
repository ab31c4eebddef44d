package server

import (
	"crypto/sha256"
	"encoding/base64"
	"html"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
)

// A person who opens a link that cannot work (a mistyped board name, a
// view link from another service, a request over the address's budget)
// gets a page that says so in words and offers a way on, not the JSON
// error a script gets. The page is one fixed piece of HTML with one fixed
// style block, allowed by its hash, so the policy stays as strict as the
// app's: no script at all, nothing inline but that block.

const errorPageStyle = `body{font:16px/1.5 system-ui,sans-serif;margin:0;display:grid;min-height:100vh;place-items:center;background:#f6f6f4;color:#1d1d1f}` +
	`main{max-width:32rem;padding:2rem}h1{font-size:1.4rem;margin:0 0 .5rem}` +
	`a{display:inline-block;margin-top:1rem;padding:.6rem 1rem;border-radius:.5rem;background:#2457d6;color:#fff;text-decoration:none}` +
	`@media (prefers-color-scheme:dark){body{background:#1c1c1e;color:#f2f2f2}}`

var errorPageCSP = func() string {
	sum := sha256.Sum256([]byte(errorPageStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; " +
		"base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

// wantsPage reports whether the request is a person's browser navigating
// to a page (rather than a script, an API client or a subresource).
func wantsPage(r *http.Request) bool {
	if r.Method != http.MethodGet || strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/ws/") {
		return false
	}
	if dest := r.Header.Get("Sec-Fetch-Dest"); dest != "" {
		// A framed page (an embed) answers its host page through the
		// embed API, which reads the JSON.
		return dest == "document"
	}
	return strings.Contains(r.Header.Get("Accept"), "text/html")
}

// errorTitles are the headings of the error page, by status.
var errorTitles = map[int]string{
	http.StatusBadRequest:          "This board link is not valid",
	http.StatusUnauthorized:        "This link has expired",
	http.StatusForbidden:           "This link does not allow that",
	http.StatusNotFound:            "There is no board here",
	http.StatusTooManyRequests:     "Too many requests",
	http.StatusServiceUnavailable:  "The board cannot be reached right now",
	http.StatusInternalServerError: "Something went wrong",
}

// errorPage writes the error page for status with message.
func errorPage(c echo.Context, status int, message string) error {
	title := errorTitles[status]
	if title == "" {
		title = http.StatusText(status)
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", errorPageCSP)
	h.Set("Cache-Control", "no-store")
	var b strings.Builder
	b.WriteString(`<!doctype html><html lang="en"><head><meta charset="utf-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1"><title>`)
	b.WriteString(html.EscapeString(title) + " · Sketchpad</title><style>" + errorPageStyle + "</style></head><body><main><h1>")
	b.WriteString(html.EscapeString(title))
	b.WriteString("</h1><p>")
	b.WriteString(html.EscapeString(sentence(message)))
	b.WriteString(`</p><a href="/">Open a new board</a></main></body></html>`)
	return c.HTML(status, b.String())
}

// sentence makes an error message read as one: a capital and a full stop.
func sentence(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}
