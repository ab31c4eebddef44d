package server

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/sketchpad/sketchpad/frontend"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/config"
	"github.com/sketchpad/sketchpad/server/metrics"
	"github.com/sketchpad/sketchpad/server/oplog"
	"github.com/sketchpad/sketchpad/server/oplog/archive"
	"github.com/sketchpad/sketchpad/server/oplog/bolt"
	"github.com/sketchpad/sketchpad/server/oplog/local"
	"github.com/sketchpad/sketchpad/server/oplog/redis"
	"github.com/sketchpad/sketchpad/server/room"
	"github.com/sketchpad/sketchpad/server/ws"
)

// App is the HTTP side of a replica: the Echo routes, the WebSocket
// upgrader, and the hub of rooms behind them.
type App struct {
	cfg      *config.Config
	log      *slog.Logger
	echo     *echo.Echo
	hub      *room.Hub
	pictures *pictures // /b/{room}.svg, read without opening rooms (picture.go)
	store    local.Store
	shared   *redis.Log
	history  oplog.Log // the rooms' log, read for history (history.go)
	links    *access.Links
	metrics  *metrics.Metrics
	ws       *ws.Handler // WebSocket sessions, per-address limits, the pinger
	assets   fs.FS
	web      *webFiles   // the built front end's files, ready to serve (assets.go)
	csp      *cspMetrics // CSP violations reported (security_headers.go)
}

// New builds an App: in Redis mode (cfg.RedisURL set) over the shared room
// log in Redis, else over a store opened in cfg.DataDir.
func New(cfg *config.Config, log *slog.Logger) (*App, error) {
	cfg.Defaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.RedisURL != "" {
		m := metrics.New()
		shared, err := redis.Open(cfg.RedisURL, cfg, log, m)
		if err != nil {
			return nil, err
		}
		if cfg.ArchiveURL != "" {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			store, err := archive.Open(ctx, cfg.ArchiveURL)
			cancel()
			if err != nil {
				_ = shared.Close()
				return nil, err
			}
			shared.UseArchive(store, cfg.ArchiveAfter)
		}
		return newApp(cfg, log, nil, shared, m), nil
	}
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	store, err := bolt.Open(filepath.Join(cfg.DataDir, "boards.db"))
	if err != nil {
		return nil, err
	}
	return NewWithStore(cfg, log, store), nil
}

// NewWithStore builds an App over an open store, which it then owns.
func NewWithStore(cfg *config.Config, log *slog.Logger, store local.Store) *App {
	cfg.Defaults()
	return newApp(cfg, log, store, nil, metrics.New())
}

func newApp(cfg *config.Config, log *slog.Logger, store local.Store, shared *redis.Log, m *metrics.Metrics) *App {
	a := &App{cfg: cfg, log: log, store: store, shared: shared, metrics: m, assets: frontend.Dist()}
	web, err := newWebFiles(a.assets, frontend.EmbedJS())
	if err != nil {
		panic(err) // the files are compiled in: only a broken build gets here
	}
	a.web, a.csp = web, newCSPMetrics(m.Registry)
	switch {
	case cfg.Secret != "":
		a.links = access.NewLinks(func(context.Context) ([]byte, error) { return []byte(cfg.Secret), nil })
	case shared != nil:
		a.links = access.NewLinks(func(ctx context.Context) ([]byte, error) { return shared.Secret(ctx, access.NewSecret) })
	default:
		a.links = access.NewLinks(access.FileSecret(cfg.DataDir))
	}
	if shared != nil {
		a.history = shared
	} else {
		a.history = local.New(store, log, m)
	}
	a.hub = room.NewHub(cfg, a.history, log, m)
	a.pictures = newPictures(a.hub, store, shared)
	a.pictures.images = a.images()
	a.ws = ws.New(a.hub, cfg, m, log)
	if im := a.images(); im != nil {
		a.ws.SetImages(im)
	}
	a.echo = a.routes()
	return a
}

// Handler is the App's HTTP handler.
func (a *App) Handler() http.Handler { return a.echo }

// HTTPServer returns an http.Server for the App with the timeouts that keep
// a client that never finishes its request (or its WebSocket handshake)
// from holding a connection: the headers must arrive within
// cfg.HandshakeTimeout.
func (a *App) HTTPServer() *http.Server {
	return &http.Server{
		Handler:           a.echo,
		ReadHeaderTimeout: a.cfg.HandshakeTimeout,
		ReadTimeout:       30 * time.Second, // request bodies (POST /api/tokens); hijacked WebSockets are not affected
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
	}
}

// Shutdown stops the rooms (each flushes, snapshots and tells its clients to
// reconnect elsewhere) and closes the store. The caller stops the listener
// first so no new connection arrives.
func (a *App) Shutdown(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		a.hub.Close()
		a.ws.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		return fmt.Errorf("shutdown: rooms did not stop in time: %w", ctx.Err())
	}
	if a.shared != nil {
		return a.shared.Close()
	}
	return a.store.Close()
}

func (a *App) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = echo.ExtractIPDirect()
	if len(a.cfg.TrustedProxies) > 0 {
		var opts []echo.TrustOption
		for _, p := range a.cfg.TrustedProxies {
			_, n, _ := net.ParseCIDR(p) // checked by the setting
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))...)
	}
	e.HTTPErrorHandler = a.httpError
	e.Use(a.securityHeaders)
	// Every route that makes the replica work (reads a board, renders,
	// mints, upgrades) takes from its client address's budget (a.budget,
	// http_limits.go); new ones such as /api/boards/* must too.
	e.GET("/", a.newBoard)
	e.GET("/b/:room", a.boardPage, a.budget)
	e.GET("/ws/:room", a.websocket, a.budget)
	e.GET("/embed/:board", a.embedPage, a.budget)
	e.GET("/embed.js", a.embedJS)
	e.POST("/api/tokens", a.mintToken, a.budget)
	e.GET("/api/boards/:room/history", a.boardHistory, a.budget)
	e.GET("/api/boards/:room/history/ops", a.boardHistoryOps, a.budget)
	e.POST("/api/boards/:room/restore", a.restoreBoard, a.budget)
	e.POST("/api/boards/:room/images", a.uploadImage, a.budget)
	e.GET("/b/:room/img/:hash", a.serveImage, a.budget)
	e.GET("/static/*", a.staticFile)
	e.GET(textFontPath, textFont)
	e.GET("/favicon.ico", a.rootFile("favicon.ico"))
	e.GET("/manifest.webmanifest", a.rootFile("manifest.webmanifest"))
	e.GET("/sw.js", a.serviceWorker)
	e.POST(cspReportPath, a.cspReport, a.budget)
	e.GET("/healthz", func(c echo.Context) error { return c.JSON(http.StatusOK, map[string]string{"status": "ok"}) })
	e.GET("/readyz", a.readyz)
	e.GET("/metrics", echo.WrapHandler(promhttp.HandlerFor(a.metrics.Registry, promhttp.HandlerOpts{})))
	return e
}

// readyz says whether this replica can serve boards: in Redis mode, whether
// Redis answers, and PostgreSQL too with an archive (archived boards load
// from it): a load balancer then stops sending new users to a replica cut
// off from them; /healthz stays the process check.
func (a *App) readyz(c echo.Context) error {
	if a.shared != nil {
		ctx, cancel := context.WithTimeout(c.Request().Context(), time.Second)
		defer cancel()
		if err := a.shared.Ping(ctx); err != nil {
			return apiError(http.StatusServiceUnavailable, "redis_unreachable", "cannot reach Redis: "+err.Error())
		}
		if err := a.shared.ArchiveReady(ctx); err != nil {
			return apiError(http.StatusServiceUnavailable, "archive_unreachable", "cannot reach the archive's PostgreSQL: "+err.Error())
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

// HTTPError is the JSON body of every error response.
type HTTPError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func apiError(status int, code, msg string) *echo.HTTPError {
	var body HTTPError
	body.Error.Code, body.Error.Message = code, msg
	return echo.NewHTTPError(status, body)
}

func (a *App) httpError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	var he *echo.HTTPError
	if !errors.As(err, &he) {
		a.log.Error("request failed", "path", c.Path(), "err", err)
		he = apiError(http.StatusInternalServerError, "internal", "internal error")
	}
	body, ok := he.Message.(HTTPError)
	if !ok {
		body.Error.Code = strings.ToLower(strings.ReplaceAll(http.StatusText(he.Code), " ", "_"))
		body.Error.Message = fmt.Sprint(he.Message)
	}
	if wantsPage(c.Request()) {
		_ = errorPage(c, he.Code, body.Error.Message)
		return
	}
	_ = c.JSON(he.Code, body)
}

// newBoardID is 130 random bits in lowercase base32: unguessable.
func newBoardID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
}

func (a *App) newBoard(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Redirect(http.StatusFound, "/b/"+newBoardID())
}

// board resolves a /b/ or /ws/ path segment: a board name (edit link), a
// view id (read-only link) or a moderator id (moderates, see
// resolveAccess).
func (a *App) board(c echo.Context, segment string) (room string, readOnly bool, err error) {
	if strings.HasPrefix(segment, access.ModPrefix) {
		room, err := a.links.ModRoom(c.Request().Context(), segment)
		switch {
		case errors.Is(err, access.ErrNoSecret):
			return "", false, apiError(http.StatusServiceUnavailable, "unavailable", "moderator links cannot be checked right now; try again")
		case err != nil:
			return "", false, apiError(http.StatusNotFound, "bad_link", "this moderator link is not valid: "+err.Error())
		}
		return room, false, nil
	}
	if strings.HasPrefix(segment, access.ViewPrefix) {
		room, err := a.links.Room(c.Request().Context(), segment)
		switch {
		case errors.Is(err, access.ErrNoSecret):
			return "", true, apiError(http.StatusServiceUnavailable, "unavailable", "view links cannot be checked right now; try again")
		case err != nil:
			return "", true, apiError(http.StatusNotFound, "bad_link", "this view link is not valid: "+err.Error())
		}
		return room, true, nil
	}
	if !access.BoardName.MatchString(segment) {
		return "", false, apiError(http.StatusBadRequest, "bad_room",
			"room names are 1 to 64 characters: letters, digits, '-' and '_'")
	}
	return segment, false, nil
}

// boardPage serves the app for /b/{room} and /b/{viewID}, and the board as
// SVG for /b/{room}.svg and /b/{viewID}.svg. An edit page carries its view
// link in a meta tag for the share menu.
func (a *App) boardPage(c echo.Context) error {
	segment := c.Param("room")
	if base, ok := strings.CutSuffix(segment, ".svg"); ok {
		if c.QueryParams().Has("at") {
			return a.boardSVGAt(c, base)
		}
		return a.boardSVG(c, base)
	}
	room, readOnly, err := a.board(c, segment)
	if err != nil {
		return err
	}
	page, err := fs.ReadFile(a.assets, "index.html")
	if err != nil {
		return err
	}
	if !readOnly {
		// The share menu's links: view and moderator. A moderator page
		// says so, for its moderation menu.
		ctx := c.Request().Context()
		view, err := a.links.ViewID(ctx, room)
		mod, merr := a.links.ModID(ctx, room)
		if err == nil && merr == nil {
			meta := `<meta name="sketchpad-view-link" content="/b/` + view + `"><meta name="sketchpad-mod-link" content="/b/` + mod + `">`
			if strings.HasPrefix(segment, access.ModPrefix) {
				meta += `<meta name="sketchpad-moderator" content="1">`
			}
			page = []byte(strings.Replace(string(page), "</head>", meta+"</head>", 1))
		}
	}
	a.setPageCSP(c, "'none'")
	return servePage(c, http.StatusOK, page, "no-cache")
}

func (a *App) boardSVG(c echo.Context, segment string) error {
	room, _, err := a.board(c, segment)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), 10*time.Second)
	defer cancel()
	pic, notModified, err := a.pictures.get(ctx, room, c.Request().Header.Get("If-None-Match"))
	if err != nil {
		return apiError(http.StatusServiceUnavailable, "unavailable", "the board cannot be read right now: "+err.Error())
	}
	c.Response().Header().Set("Cache-Control", "no-cache") // revalidate: the ETag changes with every op
	return a.pictures.send(c, pic, notModified)
}

func (a *App) websocket(c echo.Context) error {
	acc, err := a.resolveAccess(c, c.Param("room"))
	if err != nil {
		return err
	}
	name := acc.room
	r := c.Request()
	if !a.originAllowed(r) {
		return apiError(http.StatusForbidden, "origin_forbidden", "this origin may not open a board connection")
	}
	err = a.ws.Accept(c.Response(), r, c.RealIP(), ws.Grant{Board: name, ReadOnly: acc.readOnly, Moderate: acc.moderate, Name: acc.name, Expires: acc.expires})
	if errors.Is(err, ws.ErrTooManyConnections) {
		return apiError(http.StatusTooManyRequests, "too_many_connections",
			fmt.Sprintf("at most %d board connections per client address", a.cfg.MaxConnsPerIP))
	}
	return nil // else gws answered the client
}

// originAllowed checks Origin against the request's own host and the
// configured list. gws accepts every origin by itself, which would let any
// web page drive a visitor's board connection.
func (a *App) originAllowed(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true // not a browser: no ambient authority to hijack
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range a.cfg.AllowedOrigins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}
