package server

// The built app's files as the server hands them out. The build
// (frontend/build.mjs) names every file a page loads by its content's hash
// and writes gzip and Brotli copies beside the text files; here each file
// is read once at start, its hash checked, and each request gets the
// smallest form its Accept-Encoding takes. A hashed name never changes
// meaning, so browsers may keep it for a year without asking again; every
// other response (the fixed names, the pages) carries a strong ETag and is
// revalidated, a 304 costing a few bytes.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// Cache-Control values: hashed files are kept for a year and never
// revalidated; everything else is revalidated on every use.
const (
	cacheImmutable   = "public, max-age=31536000, immutable"
	cacheRevalidate  = "no-cache"
	hashedNameDigits = 10 // hex digits of SHA-256 in a hashed name (build.mjs HASH_LEN)
)

// hashedName matches name.<hash>.ext; the hash is checked against the bytes
// too, so a file merely named like one is never cached forever.
var hashedName = regexp.MustCompile(`\.([0-9a-f]{` + strconv.Itoa(hashedNameDigits) + `})\.[A-Za-z0-9]+$`)

// codings are the precompressed forms the build writes, in the order the
// server prefers them when a client takes several equally: Brotli is the
// smallest.
var codings = []struct{ name, suffix string }{{"br", ".br"}, {"gzip", ".gz"}}

// form is one representation of an asset: its bytes in one content coding
// ("" is identity) and its ETag, which differs between codings as a strong
// validator must.
type form struct {
	coding string
	body   []byte
	etag   string
}

// asset is one file ready to serve.
type asset struct {
	ctype  string
	hashed bool
	forms  []form // compressed forms in codings' order, identity last
	// cache is the Cache-Control of an unhashed asset; "" revalidates on every use.
	cache string
}

// assetSet is the files of a directory of the built app, by name.
type assetSet map[string]*asset

// loadAssets reads every file of fsys except the compressed copies (which
// become forms of their originals) and the names in skip.
func loadAssets(fsys fs.FS, skip ...string) (assetSet, error) {
	set := assetSet{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
			return err
		}
		for _, s := range skip {
			if name == s {
				return nil
			}
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		a := newAsset(name, body)
		var forms []form
		for _, c := range codings {
			if z, err := fs.ReadFile(fsys, name+c.suffix); err == nil {
				forms = append(forms, form{coding: c.name, body: z, etag: etagOf(body, c.name)})
			}
		}
		a.forms = append(forms, a.forms...)
		set[name] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load the app's files: %w", err)
	}
	return set, nil
}

// newAsset is a file with its identity form only.
func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	m := hashedName.FindStringSubmatch(name)
	return &asset{
		ctype:  contentType(name),
		hashed: m != nil && m[1] == hex.EncodeToString(sum[:])[:hashedNameDigits],
		forms:  []form{{body: body, etag: etagOf(body, "")}},
	}
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".webmanifest":
		return "application/manifest+json"
	case ".ico":
		return "image/x-icon"
	}
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// etagOf is a strong ETag for body sent in coding: 16 bytes of its
// SHA-256, then the coding.
func etagOf(body []byte, coding string) string {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:16])
	if coding != "" {
		tag += "-" + coding
	}
	return `"` + tag + `"`
}

// serve answers a GET of a: the form Accept-Encoding takes best, Vary when
// there is a choice, the cache policy its name allows, 304 on a match.
func (a *asset) serve(c echo.Context) error {
	h := c.Response().Header()
	if len(a.forms) > 1 {
		h.Add("Vary", "Accept-Encoding")
	}
	f := a.pick(c.Request().Header.Get("Accept-Encoding"))
	switch {
	case a.hashed:
		h.Set("Cache-Control", cacheImmutable)
	case a.cache != "":
		h.Set("Cache-Control", a.cache)
	default:
		h.Set("Cache-Control", cacheRevalidate)
	}
	h.Set("ETag", f.etag)
	if noneMatch(c.Request().Header.Get("If-None-Match"), f.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if f.coding != "" {
		h.Set("Content-Encoding", f.coding)
	}
	return c.Blob(http.StatusOK, a.ctype, f.body)
}

// pick returns the form with the highest q in accept, preferring the
// earlier of equals (so the smallest); identity when nothing else is
// taken. Identity is sent even when refused ("identity;q=0"), as RFC 9110
// allows, rather than a 406 nobody could act on.
func (a *asset) pick(accept string) form {
	best, bestQ := a.forms[len(a.forms)-1], 0.0
	for _, f := range a.forms[:len(a.forms)-1] {
		if q := codingQ(accept, f.coding); q > bestQ {
			best, bestQ = f, q
		}
	}
	return best
}

// codingQ is the quality Accept-Encoding gives coding: its own entry's, or
// else the "*" entry's, or 0.
func codingQ(accept, coding string) float64 {
	star := 0.0
	for _, part := range strings.Split(accept, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		switch name {
		case coding:
			return q
		case "*":
			star = q
		}
	}
	return star
}

// noneMatch reports whether an If-None-Match header names etag (or is
// "*"). The comparison is weak, as RFC 9110 says for If-None-Match.
func noneMatch(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// servePage answers with an HTML page made for this request (a board's
// page carries its view link): a strong ETag of its bytes, answered by 304
// when the browser has them, gzipped when that is worth it (compress.go;
// the ETag names the coding, as a strong validator must). Only a 200 is
// revalidated; an error page is sent whole.
func servePage(c echo.Context, status int, page []byte, cacheControl string) error {
	h := c.Response().Header()
	h.Set("Cache-Control", cacheControl)
	h.Add("Vary", "Accept-Encoding")
	coding := compressedCoding(c.Request(), len(page))
	if status == http.StatusOK {
		etag := etagOf(page, coding)
		h.Set("ETag", etag)
		if noneMatch(c.Request().Header.Get("If-None-Match"), etag) {
			return c.NoContent(http.StatusNotModified)
		}
	}
	return sendCoded(c, status, echo.MIMETextHTMLCharsetUTF8, page, nil, coding)
}

// webFiles is what the App serves from the built front end: /static/*
// (the hashed files, and the rest of dist), the fixed names at the root
// (favicon.ico, manifest.webmanifest), and embed.js.
type webFiles struct {
	static  assetSet
	embedJS *asset
}

func newWebFiles(dist fs.FS, embedJS []byte) (*webFiles, error) {
	// index.html is served only as a page, with per-request meta tags.
	static, err := loadAssets(dist, "index.html")
	if err != nil {
		return nil, err
	}
	return &webFiles{static: static, embedJS: newAsset("embed.js", embedJS)}, nil
}

// staticFile is GET /static/{name}.
func (a *App) staticFile(c echo.Context) error {
	name := c.Param("*")
	f, ok := a.web.static[name]
	if !ok {
		return apiError(http.StatusNotFound, "not_found", "no such file")
	}
	if strings.HasPrefix(name, "socket_worker.") && strings.HasSuffix(name, ".js") {
		a.setSocketWorkerCSP(c)
	}
	return f.serve(c)
}

// rootFile serves a file of the build at a fixed root path
// (/favicon.ico, /manifest.webmanifest): browsers ask for them by name.
func (a *App) rootFile(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		f, ok := a.web.static[name]
		if !ok {
			return apiError(http.StatusNotFound, "not_found", "no such file")
		}
		return f.serve(c)
	}
}

// swCSP is the service worker's policy. A worker's own requests fall under
// the policy its script came with, and it fetches the app's files and
// pages from here: 'self', where every other file says 'none'.
const swCSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

// serviceWorker is GET /sw.js (frontend/sw/sw.ts). It is served from the
// root so that it may handle board pages (/b/...); its name is fixed and
// revalidated, as browsers check it for a new build on every load.
func (a *App) serviceWorker(c echo.Context) error {
	f, ok := a.web.static["sw.js"]
	if !ok {
		return apiError(http.StatusNotFound, "not_found", "no such file")
	}
	c.Response().Header().Set("Content-Security-Policy", swCSP)
	return f.serve(c)
}
