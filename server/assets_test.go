package server_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/sketchpad/sketchpad/frontend"
)

// rawClient sends Accept-Encoding as the test writes it and hands back the
// bytes as sent: Go's default transport would ask for gzip itself and
// unpack it.
var rawClient = &http.Client{Transport: &http.Transport{DisableCompression: true}}

type reply struct {
	code int
	body []byte
	h    http.Header
}

// fetch GETs url with headers given as name, value pairs.
func fetch(t *testing.T, url string, headers ...string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := rawClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, body, resp.Header}
}

var pageAsset = regexp.MustCompile(`/static/(app\.[0-9a-f]{10}\.(?:js|css))"`)

// pageAssets returns the script and style sheet a board page loads.
func pageAssets(t *testing.T, base string) (js, css string) {
	t.Helper()
	page := fetch(t, base+"/b/assets-board")
	for _, m := range pageAsset.FindAllStringSubmatch(string(page.body), -1) {
		if strings.HasSuffix(m[1], ".js") {
			js = m[1]
		} else {
			css = m[1]
		}
	}
	if js == "" || css == "" {
		t.Fatalf("the board page loads no hashed app.js and app.css:\n%s", page.body)
	}
	return js, css
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestTheAppScriptIsSentInTheEncodingTheBrowserTakes(t *testing.T) {
	ts := startServer(t, t.TempDir())
	js, _ := pageAssets(t, ts.URL)
	plain, err := fs.ReadFile(frontend.Dist(), js)
	if err != nil {
		t.Fatal(err)
	}
	brotli, err := fs.ReadFile(frontend.Dist(), js+".br")
	if err != nil {
		t.Fatal(err)
	}
	etags := map[string]string{}
	for _, c := range []struct{ accept, want string }{
		{"gzip, deflate, br, zstd", "br"}, // what Chromium sends
		{"br", "br"},
		{"*", "br"},
		{"gzip", "gzip"},
		{"gzip, br;q=0", "gzip"},
		{"br;q=0.5, gzip", "gzip"},
		{"deflate", ""},
		{"", ""},
		{"identity", ""},
	} {
		r := fetch(t, ts.URL+"/static/"+js, "Accept-Encoding", c.accept)
		if r.code != 200 || r.h.Get("Content-Encoding") != c.want {
			t.Errorf("Accept-Encoding %q: %d, Content-Encoding %q, want %q", c.accept, r.code, r.h.Get("Content-Encoding"), c.want)
			continue
		}
		if r.h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", c.accept, r.h.Get("Vary"))
		}
		if ct := r.h.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		switch c.want {
		case "br":
			if !bytes.Equal(r.body, brotli) || len(r.body) >= len(plain)/2 {
				t.Errorf("br: %d bytes (the script is %d)", len(r.body), len(plain))
			}
		case "gzip":
			if !bytes.Equal(gunzip(t, r.body), plain) || len(r.body) >= len(plain)/2 {
				t.Errorf("gzip: %d bytes that do not unpack to the script", len(r.body))
			}
		default:
			if !bytes.Equal(r.body, plain) {
				t.Errorf("identity: %d bytes, want the script's %d", len(r.body), len(plain))
			}
		}
		if prev, ok := etags[c.want]; ok && prev != r.h.Get("ETag") {
			t.Errorf("%q: ETag %s, before %s", c.want, r.h.Get("ETag"), prev)
		}
		etags[c.want] = r.h.Get("ETag")
	}
	if etags["br"] == etags["gzip"] || etags["gzip"] == etags[""] || etags["br"] == etags[""] {
		t.Errorf("one strong ETag for different bytes: %v", etags)
	}
}

func TestOnlyHashedFilesAreCachedForever(t *testing.T) {
	ts := startServer(t, t.TempDir())
	js, css := pageAssets(t, ts.URL)
	for _, path := range []string{"/static/" + js, "/static/" + css} {
		r := fetch(t, ts.URL+path, "Accept-Encoding", "br")
		if r.code != 200 || r.h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d, Cache-Control %q", path, r.code, r.h.Get("Cache-Control"))
		}
	}
	// Fixed names and pages: revalidated by a strong ETag, 304 when it
	// matches. A picture's is weak: it names the board's state, whichever
	// coding carries it (picture.go send).
	for _, c := range []struct {
		path, cache string
		weak        bool
	}{
		{"/b/assets-board", "no-cache", false},
		{"/b/assets-board.svg", "no-cache", true},
		{"/favicon.ico", "no-cache", false},
		{"/manifest.webmanifest", "no-cache", false},
		{"/embed.js", "no-cache", false},
		{"/sw.js", "no-cache", false},
	} {
		r := fetch(t, ts.URL+c.path, "Accept-Encoding", "gzip")
		etag := r.h.Get("ETag")
		if r.code != 200 || r.h.Get("Cache-Control") != c.cache || strings.HasPrefix(etag, `W/"`) != c.weak || !strings.Contains(etag, `"`) {
			t.Errorf("%s: %d, Cache-Control %q, ETag %q (want a weak one: %v)", c.path, r.code, r.h.Get("Cache-Control"), etag, c.weak)
			continue
		}
		again := fetch(t, ts.URL+c.path, "Accept-Encoding", "gzip", "If-None-Match", etag)
		if again.code != http.StatusNotModified || len(again.body) != 0 || again.h.Get("ETag") != etag {
			t.Errorf("%s with If-None-Match %s: %d, %d bytes, ETag %q; want 304", c.path, etag, again.code, len(again.body), again.h.Get("ETag"))
		}
		if r.h.Get("Vary") != again.h.Get("Vary") {
			t.Errorf("%s: Vary %q on 200, %q on 304", c.path, r.h.Get("Vary"), again.h.Get("Vary"))
		}
		if other := fetch(t, ts.URL+c.path, "If-None-Match", `"not-it"`); other.code != 200 {
			t.Errorf("%s with another ETag: %d", c.path, other.code)
		}
	}
	// An immutable file is still answered 304 when the browser asks.
	r := fetch(t, ts.URL+"/static/"+js)
	if again := fetch(t, ts.URL+"/static/"+js, "If-None-Match", r.h.Get("ETag")); again.code != http.StatusNotModified {
		t.Errorf("the script with its ETag: %d", again.code)
	}
	if r := fetch(t, ts.URL+"/static/app.js"); r.code != 404 {
		t.Errorf("the unhashed name still answers: %d", r.code)
	}
	if r := fetch(t, ts.URL+"/static/index.html"); r.code != 404 {
		t.Errorf("/static/index.html: %d, want 404 (the page is served only as a board)", r.code)
	}
}

func TestTheEditPageETagDiffersFromTheViewPages(t *testing.T) {
	ts := startServer(t, t.TempDir())
	edit := fetch(t, ts.URL+"/b/etag-board")
	view := fetch(t, ts.URL+"/b/"+viewID(t, ts, "etag-board"))
	if edit.h.Get("ETag") == view.h.Get("ETag") {
		t.Fatalf("the edit page (with its view link) and the view page share ETag %s", edit.h.Get("ETag"))
	}
	if r := fetch(t, ts.URL+"/b/another-board", "If-None-Match", edit.h.Get("ETag")); r.code != 200 {
		t.Errorf("another board's page with this one's ETag: %d", r.code)
	}
}

func TestTheFaviconAndTheManifestAreThere(t *testing.T) {
	ts := startServer(t, t.TempDir())
	ico := fetch(t, ts.URL+"/favicon.ico")
	if ico.code != 200 || ico.h.Get("Content-Type") != "image/x-icon" || !bytes.HasPrefix(ico.body, []byte{0, 0, 1, 0, 1, 0}) {
		t.Errorf("/favicon.ico: %d %q, %d bytes", ico.code, ico.h.Get("Content-Type"), len(ico.body))
	}
	page := string(fetch(t, ts.URL+"/b/icons").body)
	for _, link := range []string{`rel="icon"`, `rel="manifest" href="/manifest.webmanifest"`, `rel="apple-touch-icon"`} {
		if !strings.Contains(page, link) {
			t.Errorf("the board page has no <link %s>", link)
		}
	}
	m := fetch(t, ts.URL+"/manifest.webmanifest")
	var manifest struct {
		Name     string
		StartURL string `json:"start_url"`
		Display  string
		Icons    []struct{ Src, Sizes, Type, Purpose string }
	}
	if m.code != 200 || m.h.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("/manifest.webmanifest: %d %q", m.code, m.h.Get("Content-Type"))
	}
	if err := json.Unmarshal(m.body, &manifest); err != nil {
		t.Fatal(err)
	}
	if manifest.Name != "Sketchpad" || manifest.StartURL != "/" || manifest.Display != "standalone" {
		t.Errorf("manifest %+v", manifest)
	}
	sizes := map[string]bool{}
	for _, icon := range manifest.Icons {
		r := fetch(t, ts.URL+icon.Src)
		if r.code != 200 || r.h.Get("Content-Type") != icon.Type || r.h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("icon %s: %d %q %q", icon.Src, r.code, r.h.Get("Content-Type"), r.h.Get("Cache-Control"))
		}
		if icon.Type == "image/png" && !bytes.HasPrefix(r.body, []byte("\x89PNG")) {
			t.Errorf("icon %s is not a PNG", icon.Src)
		}
		sizes[icon.Sizes+" "+icon.Purpose] = true
	}
	// What Chromium needs to offer installing: 192 and 512 pixels.
	if !sizes["192x192 "] || !sizes["512x512 "] || !sizes["512x512 maskable"] {
		t.Errorf("manifest icon sizes %v", sizes)
	}
}

func TestTheServiceWorkerMayFetchFromItsOwnOrigin(t *testing.T) {
	ts := startServer(t, t.TempDir())
	r := fetch(t, ts.URL+"/sw.js", "Accept-Encoding", "br")
	if r.code != 200 || r.h.Get("Content-Type") != "text/javascript; charset=utf-8" || r.h.Get("Content-Encoding") != "br" {
		t.Fatalf("/sw.js: %d %q %q", r.code, r.h.Get("Content-Type"), r.h.Get("Content-Encoding"))
	}
	// A worker's fetches obey the policy its script came with: 'self'.
	if csp := directives(r.h.Get("Content-Security-Policy")); csp["default-src"] != "'self'" {
		t.Errorf("/sw.js CSP %q", r.h.Get("Content-Security-Policy"))
	}
	// It keeps exactly the files this build's page loads.
	js, css := pageAssets(t, ts.URL)
	plain := string(fetch(t, ts.URL+"/sw.js").body)
	for _, f := range []string{"/static/" + js, "/static/" + css, "/manifest.webmanifest", "/favicon.ico"} {
		if !strings.Contains(plain, `"`+f+`"`) {
			t.Errorf("the service worker does not keep %s", f)
		}
	}
}

func TestTheSocketWorkerMayOpenOnlyTheBoardsSocket(t *testing.T) {
	ts := startServer(t, t.TempDir())
	js, _ := pageAssets(t, ts.URL)
	name := regexp.MustCompile(`/static/socket_worker\.[0-9a-f]+\.js`).FindString(string(fetch(t, ts.URL+"/static/"+js).body))
	if name == "" {
		t.Fatalf("the app (%s) names no socket worker", js)
	}
	r := fetch(t, ts.URL+name)
	if r.code != 200 || r.h.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("%s: %d %q", name, r.code, r.h.Get("Content-Type"))
	}
	// A worker's requests obey the policy its script came with: the board's socket, nothing else.
	csp := directives(r.h.Get("Content-Security-Policy"))
	if csp["default-src"] != "'none'" || csp["connect-src"] != "'self' ws://"+strings.TrimPrefix(ts.URL, "http://") {
		t.Errorf("%s CSP %q", name, r.h.Get("Content-Security-Policy"))
	}
	// The service worker keeps it, for a page opened offline.
	if sw := string(fetch(t, ts.URL+"/sw.js").body); !strings.Contains(sw, `"`+name+`"`) {
		t.Errorf("the service worker does not keep %s", name)
	}
	// Any other file may run and load nothing.
	if csp := directives(fetch(t, ts.URL+"/static/"+js).h.Get("Content-Security-Policy")); csp["default-src"] != "'none'" || csp["connect-src"] != "" {
		t.Errorf("/static/%s CSP %v", js, csp)
	}
}

// chunkRef is a chunk of the app named in another: a static import
// ("./chunk.0123456789.js") or one loaded on first use (import("./...")).
var chunkRef = regexp.MustCompile(`"\./([A-Za-z0-9_-]+\.[0-9a-f]{10}\.js)"`)

// appChunks follows the app's script through every chunk it names,
// statically or on first use, and returns them all (the script first).
func appChunks(t *testing.T, base, js string) []string {
	t.Helper()
	seen := map[string]bool{js: true}
	all := []string{js}
	for i := 0; i < len(all); i++ {
		r := fetch(t, base+"/static/"+all[i])
		if r.code != 200 {
			t.Fatalf("%s: %d", all[i], r.code)
		}
		for _, m := range chunkRef.FindAllStringSubmatch(string(r.body), -1) {
			if !seen[m[1]] {
				seen[m[1]] = true
				all = append(all, m[1])
			}
		}
	}
	return all
}

func TestEveryChunkOfTheAppIsServedAsTheAppScriptIs(t *testing.T) {
	ts := startServer(t, t.TempDir())
	js, _ := pageAssets(t, ts.URL)
	chunks := appChunks(t, ts.URL, js)
	page := string(fetch(t, ts.URL+"/b/assets-board").body)
	sw := string(fetch(t, ts.URL+"/sw.js").body)
	lazy := 0
	for _, c := range chunks {
		if !strings.Contains(page, `/static/`+c+`"`) {
			lazy++ // loaded on first use, not by the page
		}
		plain, err := fs.ReadFile(frontend.Dist(), c)
		if err != nil {
			t.Fatal(err)
		}
		r := fetch(t, ts.URL+"/static/"+c, "Accept-Encoding", "gzip, deflate, br, zstd")
		if r.code != 200 || r.h.Get("Content-Type") != "text/javascript; charset=utf-8" || r.h.Get("Content-Encoding") != "br" ||
			r.h.Get("Vary") != "Accept-Encoding" || r.h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d, Content-Type %q, Content-Encoding %q, Vary %q, Cache-Control %q", c, r.code,
				r.h.Get("Content-Type"), r.h.Get("Content-Encoding"), r.h.Get("Vary"), r.h.Get("Cache-Control"))
		}
		if len(r.body) >= len(plain) {
			t.Errorf("%s: %d bytes in Brotli, %d plain", c, len(r.body), len(plain))
		}
		if g := fetch(t, ts.URL+"/static/"+c, "Accept-Encoding", "gzip"); g.h.Get("Content-Encoding") != "gzip" || !bytes.Equal(gunzip(t, g.body), plain) {
			t.Errorf("%s: gzip %q, %d bytes that do not unpack to the chunk", c, g.h.Get("Content-Encoding"), len(g.body))
		}
		// Offline, a part loaded on first use comes from the worker's cache.
		if !strings.Contains(sw, `"/static/`+c+`"`) {
			t.Errorf("the service worker does not keep %s", c)
		}
	}
	if lazy == 0 {
		t.Errorf("every chunk of the app (%v) is loaded by the page: nothing waits for first use", chunks)
	}
	// The page asks for the chunks the script imports at once, beside it.
	for _, c := range chunkRef.FindAllStringSubmatch(string(fetch(t, ts.URL+"/static/"+js).body), -1) {
		if strings.Contains(page, `rel="modulepreload" href="/static/`+c[1]+`"`) {
			return
		}
	}
	t.Errorf("the page preloads none of the chunks its script names:\n%s", page)
}
