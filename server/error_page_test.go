package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// A person's browser opening a link that cannot work gets a page in words
// with a way on; a script asking the same gets the JSON error, as before.
func TestABrokenLinkGivesAPersonAPageAndAScriptJSON(t *testing.T) {
	ts := startServer(t, t.TempDir())
	get := func(path string, header map[string]string) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	browser := map[string]string{"Accept": "text/html,application/xhtml+xml,*/*;q=0.8", "Sec-Fetch-Dest": "document"}
	for _, path := range []string{"/b/not%20a%20board!", "/b/v.forged-view-link"} {
		resp, body := get(path, browser)
		if resp.StatusCode < 400 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s in a browser: %d %s, want an HTML error page", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(body, `<a href="/">Open a new board</a>`) || strings.Contains(body, `"error"`) || strings.Contains(body, "<script") {
			t.Errorf("%s in a browser: the page has no way on, or shows JSON, or runs script:\n%s", path, body)
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: the error page's policy is %q", path, csp)
		}
		resp, body = get(path, map[string]string{"Accept": "application/json"})
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") || !strings.Contains(body, `"error"`) {
			t.Errorf("%s from a script: %s %q, want the JSON error", path, resp.Header.Get("Content-Type"), body)
		}
	}
}
