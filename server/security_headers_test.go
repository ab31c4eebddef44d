package server_test

import (
	"context"
	"maps"
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
		a := connect(t, ts, "locked", "A")
		drawSpirals(t, a, 1, 10, 8)
		if err := a.WaitAcked(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		navigate := []string{"Accept", "text/html,application/xhtml+xml", "Sec-Fetch-Dest", "document"}
		for _, c := range []struct {
			what, path string
			headers    []string // of the request
			code       int
			frame      string // the page's frame-ancestors; "" for what is not a page
		}{
			{"app", "/b/locked", nil, 200, "'none'"},
			{"view link", view, nil, 200, "'none'"},
			{"embed", "/embed/locked?host=" + url.QueryEscape("http://host.example:8000"), nil, 200, "http://host.example:8000"},
			{"refused embed token", "/embed/locked?token=nonsense", nil, 401, "http://host.example:8000"},
			{"svg", "/b/locked.svg", nil, 200, ""},
			{"svg then", "/b/locked.svg?at=1", nil, 200, ""},
			{"view link's svg", view + ".svg", nil, 200, ""},
			{"bad room", "/b/no%20spaces", nil, 400, ""},
			{"bad room, error page", "/b/no%20spaces", navigate, 400, ""},
			{"bad view link", "/b/v.forged", nil, 404, ""},
			{"bad view link, error page", "/b/v.forged", navigate, 404, ""},
			{"no such file", "/static/nope.js", nil, 404, ""},
			{"healthz", "/healthz", nil, 200, ""},
		} {
			what := c.what
			if tls {
				what += " behind TLS"
			}
			r := fetch(t, ts.URL+c.path, c.headers...)
			h := r.h
			if r.code != c.code {
				t.Errorf("%s: %d, want %d", what, r.code, c.code)
			}
			if page := strings.HasPrefix(h.Get("Content-Type"), "text/html"); page != (c.frame != "" || c.headers != nil) {
				t.Errorf("%s: Content-Type %q", what, h.Get("Content-Type"))
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
			if got := permissions(h.Get("Permissions-Policy")); !maps.Equal(got, wantPermissions) {
				t.Errorf("%s: Permissions-Policy %q, want exactly %v", what, h.Get("Permissions-Policy"), wantPermissions)
			}
			if hsts := h.Get("Strict-Transport-Security"); tls != (hsts == "max-age=31536000") {
				t.Errorf("%s: Strict-Transport-Security %q", what, hsts)
			}
			csp := directives(h.Get("Content-Security-Policy"))
			switch {
			case strings.Contains(c.path, ".svg"):
				// A picture: no script, its own inline styles and the
				// text font only; framed nowhere (an <img> still shows it).
				if csp["default-src"] != "'none'" || csp["script-src"] != "" || csp["style-src"] != "'unsafe-inline'" ||
					csp["font-src"] != "'self'" || csp["frame-ancestors"] != "'none'" || csp["base-uri"] != "'none'" {
					t.Errorf("%s: CSP %q", what, h.Get("Content-Security-Policy"))
				}
			case c.frame == "":
				// Nothing allowed; the error page its one style block, by hash.
				directiveCount := 4
				if c.headers != nil {
					directiveCount++
					if style := csp["style-src"]; !strings.HasPrefix(style, "'sha256-") || strings.Contains(style, " ") {
						t.Errorf("%s: CSP style-src %q, want one hash", what, style)
					}
				}
				if csp["default-src"] != "'none'" || csp["frame-ancestors"] != "'none'" || csp["base-uri"] != "'none'" ||
					csp["form-action"] != "'none'" || len(csp) != directiveCount {
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

// wantPermissions is every feature Chromium knows (156: its
// document.featurePolicy.features(), less the ch-* client hints) and who
// may use it: the clipboard's writing the page itself, nothing else anyone.
var wantPermissions = func() map[string]string {
	m := map[string]string{"clipboard-write": "(self)"}
	for _, f := range strings.Fields(`accelerometer aria-notify autoplay browsing-topics camera
		captured-surface-control clipboard-read compute-pressure cross-origin-isolated deferred-fetch
		deferred-fetch-minimal digital-credentials-create digital-credentials-get display-capture
		encrypted-media fullscreen gamepad geolocation gyroscope hid identity-credentials-get
		idle-detection interest-cohort keyboard-map language-detector language-model local-fonts
		local-network local-network-access loopback-network magnetometer media-playback-while-not-visible
		microphone midi on-device-speech-recognition otp-credentials payment picture-in-picture
		private-state-token-issuance private-state-token-redemption publickey-credentials-create
		publickey-credentials-get screen-wake-lock serial speaker-selection storage-access summarizer
		sync-xhr translator unload usb window-management xr-spatial-tracking`) {
		m[f] = "()"
	}
	return m
}()

// permissions splits a Permissions-Policy into allowlists by feature; a
// feature named twice is kept as "twice", which no test wants.
func permissions(pp string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(pp, ",") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), "=")
		if _, dup := out[name]; dup {
			value = "twice"
		}
		out[name] = value
	}
	return out
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
