package server

// The headers that lock pages down. A board's address is its edit
// capability, so one script injected into a board page would hand the
// board to anyone: the pages run only the app's own script file (no inline
// script, no eval), talk only to their board's WebSocket, are framed only
// where embedding is allowed, and a violation is reported back and counted
// in /metrics (sketchpad_csp_reports_total) so an operator sees it.

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// cspReportPath is where browsers send violation reports (report-to and
// the older report-uri).
const cspReportPath = "/api/csp-reports"

// cspNone is the policy of every response that is not a page (JSON,
// errors, files): it may run and load nothing, and be framed nowhere.
const cspNone = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// permissionsPolicy allows the one feature the app uses, clipboard-write
// (the share menu copies links, Ctrl+C copies a picture), to the page's
// own origin, and turns off every other feature Chromium knows, so
// neither an injected script nor a framed page can ask for them. Paste
// reads the paste event's data, which needs no clipboard-read.
//
// The list is what Chromium reports (document.featurePolicy.features())
// less the client hints (ch-*): those only say which request headers the
// browser sends to this origin, and to no other unless delegated, and a
// page gains no capability from them. Only features Chromium knows are
// named: an unknown one logs a console warning on every load
// (scripts/e2e TestBoardPagesAllowOnlyTheFeaturesTheAppUses checks both
// ways against the browser the tests run).
var permissionsPolicy = func() string {
	parts := make([]string, 0, len(deniedFeatures)+1)
	for _, f := range deniedFeatures {
		parts = append(parts, f+"=()")
	}
	return strings.Join(append(parts, "clipboard-write=(self)"), ", ")
}()

// deniedFeatures are the features no document of this service may use.
var deniedFeatures = []string{
	"accelerometer", "aria-notify", "autoplay", "browsing-topics", "camera",
	"captured-surface-control", "clipboard-read", "compute-pressure", "cross-origin-isolated",
	"deferred-fetch", "deferred-fetch-minimal", "digital-credentials-create", "digital-credentials-get",
	"display-capture", "encrypted-media", "fullscreen", "gamepad", "geolocation", "gyroscope", "hid",
	"identity-credentials-get", "idle-detection", "interest-cohort", "keyboard-map",
	"language-detector", "language-model", "local-fonts", "local-network", "local-network-access",
	"loopback-network", "magnetometer", "media-playback-while-not-visible", "microphone", "midi",
	"on-device-speech-recognition", "otp-credentials", "payment", "picture-in-picture",
	"private-state-token-issuance", "private-state-token-redemption", "publickey-credentials-create",
	"publickey-credentials-get", "screen-wake-lock", "serial", "speaker-selection", "storage-access",
	"summarizer", "sync-xhr", "translator", "unload", "usb", "window-management", "xr-spatial-tracking",
}

// hstsValue: a year, the usual minimum for preload lists; no
// includeSubDomains, which would bind hosts this service does not own.
const hstsValue = "max-age=31536000"

// securityHeaders sets the headers every response carries. Pages replace
// the policy with their own (setPageCSP); /b/{room}.svg with the picture's.
func (a *App) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", cspNone)
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", permissionsPolicy)
		// Every page here is a board or leads to one, and a board's
		// address is its capability: nothing is for search engines.
		h.Set("X-Robots-Tag", "noindex, nofollow")
		if a.cfg.BehindTLS {
			h.Set("Strict-Transport-Security", hstsValue)
		}
		return next(c)
	}
}

// plainHost matches a Host header that can be written into a policy as it
// is (a name or address and a port); anything else falls back to 'self'.
var plainHost = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]+)?$|^\[[0-9A-Fa-f:.]+\](:[0-9]+)?$`)

// socketSources is a page's connect-src: its own origin and exactly the
// board's WebSocket origin (setPageCSP says why).
func (a *App) socketSources(c echo.Context) string {
	r := c.Request()
	if !plainHost.MatchString(r.Host) {
		return "'self'"
	}
	scheme := "ws://"
	if a.cfg.BehindTLS || r.TLS != nil {
		scheme = "wss://"
	}
	return "'self' " + scheme + r.Host
}

// setSocketWorkerCSP sets the policy of the socket worker's script
// (frontend/src/net/socket_worker.ts): a dedicated worker's requests fall
// under the policy its script came with, and this one opens the board's
// WebSocket and nothing else.
func (a *App) setSocketWorkerCSP(c echo.Context) {
	c.Response().Header().Set("Content-Security-Policy",
		"default-src 'none'; connect-src "+a.socketSources(c)+"; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
}

// setPageCSP sets the policy of an app page (a board, a view link, an
// embed) framed by frameAncestors.
//
// connect-src is the page's own origin (the history panel fetches
// /api/boards/{room}/history...) and exactly the board's WebSocket
// origin: the page opens /ws/ on the host it was loaded from
// (room_url.ts), which is the Host the server's own Origin check compares
// with. ws: also matches wss: (CSP 3),
// so a TLS proxy the setting does not know of still works. img-src allows
// data: and blob:, the PNG and SVG exports. No 'unsafe-inline' anywhere:
// the app styles elements through the CSSOM, which style-src does not
// restrict.
func (a *App) setPageCSP(c echo.Context, frameAncestors string) {
	socket := a.socketSources(c)
	policy := []string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self'",
		"img-src 'self' data: blob:",
		"connect-src " + socket,
		"worker-src 'self'",
		"manifest-src 'self'",
		"object-src 'none'",
		// No string ever becomes HTML or script: the app builds its DOM
		// with createElement and textContent (ui/dom.ts), so Chromium may
		// refuse every such sink outright. The one script URL it hands
		// over is the service worker's, through the policy named here
		// (page/page.ts workerURL).
		"require-trusted-types-for 'script'",
		"trusted-types sketchpad",
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors " + frameAncestors,
		"report-uri " + cspReportPath,
		"report-to csp",
	}
	h := c.Response().Header()
	h.Set("Content-Security-Policy", strings.Join(policy, "; "))
	h.Set("Reporting-Endpoints", `csp="`+cspReportPath+`"`)
}

// cspDirectives are the directives counted by name in the metric; any
// other value counts as "other", so a client cannot mint label values.
var cspDirectives = map[string]bool{
	"default-src": true, "script-src": true, "script-src-elem": true, "script-src-attr": true,
	"style-src": true, "style-src-elem": true, "style-src-attr": true, "img-src": true,
	"connect-src": true, "font-src": true, "worker-src": true, "manifest-src": true,
	"object-src": true, "base-uri": true, "form-action": true, "frame-ancestors": true,
	"frame-src": true, "child-src": true, "media-src": true, "trusted-types": true,
	"require-trusted-types-for": true,
}

// cspMetrics counts the violation reports (sketchpad_csp_reports_total).
type cspMetrics struct{ reports *prometheus.CounterVec }

func newCSPMetrics(reg *prometheus.Registry) *cspMetrics {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "sketchpad", Name: "csp_reports_total",
		Help: "Content-Security-Policy violations browsers reported, by the directive broken (other: not one the pages use)."}, []string{"directive"})
	reg.MustRegister(v)
	return &cspMetrics{reports: v}
}

// cspReport is POST /api/csp-reports: a Reporting API batch
// (application/reports+json, a list) or a report-uri report
// (application/csp-report, one object). Each violation is counted.
func (a *App) cspReport(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, 64<<10))
	if err != nil {
		return apiError(http.StatusBadRequest, "bad_request", "cannot read the report")
	}
	var directives []string
	var batch []struct {
		Type string `json:"type"`
		Body struct {
			EffectiveDirective string `json:"effectiveDirective"`
		} `json:"body"`
	}
	var single struct {
		Report struct {
			EffectiveDirective string `json:"effective-directive"`
			ViolatedDirective  string `json:"violated-directive"`
		} `json:"csp-report"`
	}
	switch {
	case json.Unmarshal(body, &batch) == nil:
		for _, r := range batch {
			if r.Type == "csp-violation" {
				directives = append(directives, r.Body.EffectiveDirective)
			}
		}
	case json.Unmarshal(body, &single) == nil && (single.Report.EffectiveDirective != "" || single.Report.ViolatedDirective != ""):
		d := single.Report.EffectiveDirective
		if d == "" {
			d, _, _ = strings.Cut(single.Report.ViolatedDirective, " ")
		}
		directives = append(directives, d)
	default:
		return apiError(http.StatusBadRequest, "bad_report", "want a CSP violation report (application/reports+json or application/csp-report)")
	}
	for _, d := range directives {
		if !cspDirectives[d] {
			d = "other"
		}
		a.csp.reports.WithLabelValues(d).Inc()
	}
	return c.NoContent(http.StatusNoContent)
}
