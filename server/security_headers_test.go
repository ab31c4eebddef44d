package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/internal/testenv"
	"github.com/sketchpad/sketchpad/server/config"
)

// directives splits a Content-Security-Policy into its directives by name.
func directives(csp string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[name] = value
		}
	}
	return out
}

func TestEveryKindOfResponseIsLockedDown(t *testing.T) {
	for _, tls := range []bool{false, true} {
		ts := startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute, BehindTLS: tls,
			EmbedOrigins: []string{"http://host.example:8000"}})
		host := strings.TrimPrefix(ts.URL, "http://")
		socket := "ws://" + host
		if tls {
			socket = "wss://" + host
		}
		view := "/b/" + viewID(t, ts, "locked")
		for _, c := range []struct {
			what, path string
			code       int
			frame      string // the page's frame-ancestors; "" for what is not a page
		}{
			{"app", "/b/locked", 200, "'none'"},
			{"view link", view, 200, "'none'"},
			{"embed", "/embed/locked?host=" + url.QueryEscape("http://host.example:8000"), 200, "http://host.example:8000"},
			{"refused embed token", "/embed/locked?token=nonsense", 401, "http://host.example:8000"},
			{"svg", "/b/locked.svg", 200, ""},
			{"bad room", "/b/no%20spaces", 400, ""},
			{"bad view link", "/b/v.forged", 404, ""},
			{"no such file", "/static/nope.js", 404, ""},
			{"healthz", "/healthz", 200, ""},
		} {
			what := c.what
			if tls {
				what += " behind TLS"
			}
			r := fetch(t, ts.URL+c.path)
			h := r.h
			if r.code != c.code {
				t.Errorf("%s: %d, want %d", what, r.code, c.code)
			}
			for name, want := range map[string]string{
				"X-Content-Type-Options":     "nosniff",
				"Referrer-Policy":            "no-referrer",
				"Cross-Origin-Opener-Policy": "same-origin",
				"X-Robots-Tag":               "noindex, nofollow",
			} {
				if got := h.Get(name); got != want {
					t.Errorf("%s: %s %q, want %q", what, name, got, want)
				}
			}
			if pp := h.Get("Permissions-Policy"); !strings.Contains(pp, "camera=()") || !strings.Contains(pp, "microphone=()") || !strings.Contains(pp, "geolocation=()") {
				t.Errorf("%s: Permissions-Policy %q", what, pp)
			}
			if hsts := h.Get("Strict-Transport-Security"); tls != (hsts == "max-age=31536000") {
				t.Errorf("%s: Strict-Transport-Security %q", what, hsts)
			}
			csp := directives(h.Get("Content-Security-Policy"))
			switch {
			case c.path == "/b/locked.svg":
				// A picture: no script, its own inline styles only.
				if csp["default-src"] != "'none'" || csp["script-src"] != "" {
					t.Errorf("%s: CSP %q", what, h.Get("Content-Security-Policy"))
				}
			case c.frame == "":
				if csp["default-src"] != "'none'" || csp["frame-ancestors"] != "'none'" {
					t.Errorf("%s: CSP %q, want nothing allowed", what, h.Get("Content-Security-Policy"))
				}
			default:
				for name, want := range map[string]string{
					"default-src":               "'self'",
					"script-src":                "'self'",
					"style-src":                 "'self'",
					"object-src":                "'none'",
					"base-uri":                  "'none'",
					"connect-src":               "'self' " + socket,
					"img-src":                   "'self' data: blob:",
					"frame-ancestors":           c.frame,
					"report-to":                 "csp",
					"require-trusted-types-for": "'script'",
					"trusted-types":             "sketchpad",
				} {
					if csp[name] != want {
						t.Errorf("%s: CSP %s %q, want %q", what, name, csp[name], want)
					}
				}
				if strings.Contains(h.Get("Content-Security-Policy"), "unsafe") {
					t.Errorf("%s: CSP allows something unsafe: %q", what, h.Get("Content-Security-Policy"))
				}
				if h.Get("Reporting-Endpoints") != `csp="/api/csp-reports"` {
					t.Errorf("%s: Reporting-Endpoints %q", what, h.Get("Reporting-Endpoints"))
				}
			}
		}
	}
}

func TestCSPViolationReportsAreCounted(t *testing.T) {
	ts := startServer(t, t.TempDir())
	post := func(ctype, body string) int {
		t.Helper()
		resp, err := http.Post(ts.URL+"/api/csp-reports", ctype, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	count := func(directive string) float64 {
		t.Helper()
		v, err := testenv.Metric(context.Background(), ts.URL, `sketchpad_csp_reports_total{directive="`+directive+`"}`)
		if err != nil {
			return 0
		}
		return v
	}
	// What Chromium sends for report-to: a batch.
	batch := `[{"type":"csp-violation","age":10,"url":"http://x/b/a","user_agent":"c",
		"body":{"documentURL":"http://x/b/a","effectiveDirective":"script-src-elem","blockedURL":"inline","disposition":"enforce"}},
		{"type":"csp-violation","body":{"effectiveDirective":"made-up-directive"}},
		{"type":"deprecation","body":{"id":"x"}}]`
	if code := post("application/reports+json", batch); code != 204 {
		t.Fatalf("a report batch: %d", code)
	}
	// What report-uri sends: one report.
	one := `{"csp-report":{"document-uri":"http://x/b/a","violated-directive":"img-src 'self'","effective-directive":"img-src","blocked-uri":"https://evil.example/x.png"}}`
	if code := post("application/csp-report", one); code != 204 {
		t.Fatalf("a report-uri report: %d", code)
	}
	if s, i, o := count("script-src-elem"), count("img-src"), count("other"); s != 1 || i != 1 || o != 1 {
		t.Errorf("counted script-src-elem %v, img-src %v, other %v; want 1 each", s, i, o)
	}
	if code := post("application/json", `{"hello":1}`); code != 400 {
		t.Errorf("not a report: %d, want 400", code)
	}
}
