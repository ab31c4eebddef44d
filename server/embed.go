package server

import (
	"context"
	"crypto/subtle"
	"errors"
	"html"
	"io/fs"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/sketchpad/sketchpad/server/access"
)

// grant is what a connection or page may do on a board.
type grant struct {
	room     string
	readOnly bool
	moderate bool      // a moderator link or a moderate token
	name     string    // forced display name ("" = the client's own)
	expires  time.Time // zero: never
}

// resolveAccess combines a /b/, /ws/ or /embed/ path segment (a board name
// or a view id) with an optional embed token (the token query parameter).
// A token must be for that board; it then decides view or draw.
func (a *App) resolveAccess(c echo.Context, segment string) (grant, error) {
	room, readOnly, err := a.board(c, segment)
	if err != nil {
		return grant{}, err
	}
	acc := grant{room: room, readOnly: readOnly, moderate: strings.HasPrefix(segment, access.ModPrefix)}
	tok := c.QueryParam("token")
	if tok == "" {
		return acc, nil
	}
	ctx := c.Request().Context()
	claims, err := a.links.CheckToken(ctx, tok, time.Now())
	if err == nil {
		var view string
		if view, err = a.links.ViewID(ctx, room); err == nil && claims.Board != view {
			err = access.ErrTokenBoard
		}
	}
	switch {
	case errors.Is(err, access.ErrTokenExpired):
		return grant{}, apiError(http.StatusUnauthorized, "token_expired", "the embed token has expired; ask the host page for a new one")
	case errors.Is(err, access.ErrTokenBoard):
		return grant{}, apiError(http.StatusForbidden, "token_wrong_board", "the embed token is for another board")
	case errors.Is(err, access.ErrTokenSignature), errors.Is(err, access.ErrTokenMalformed):
		return grant{}, apiError(http.StatusUnauthorized, "token_invalid", err.Error())
	case errors.Is(err, access.ErrNoSecret):
		return grant{}, apiError(http.StatusServiceUnavailable, "unavailable", "tokens cannot be checked right now; try again")
	case err != nil:
		return grant{}, err
	}
	acc.readOnly = claims.Can == access.CanView
	acc.moderate = claims.Can == access.CanModerate
	acc.name = claims.Name
	acc.expires = time.Unix(claims.Expires, 0)
	return acc, nil
}

// embedPage serves the app for framing by the configured origins: the page
// knows it is embedded (a meta tag) and speaks the postMessage API.
func (a *App) embedPage(c echo.Context) error {
	meta := `<meta name="sketchpad-embed" content="1">` + a.drawBurstMeta()
	if host := c.QueryParam("host"); host != "" {
		// The one origin the board's postMessage API talks to: it must be
		// an origin allowed to frame the board.
		if !slices.Contains(a.cfg.EmbedOrigins, host) {
			return apiError(http.StatusForbidden, "host_not_allowed", "this host origin may not embed boards (SKETCHPAD_EMBED_ORIGINS)")
		}
		meta += `<meta name="sketchpad-embed-host" content="` + html.EscapeString(host) + `">`
	}
	status := http.StatusOK
	acc, err := a.resolveAccess(c, c.Param("board"))
	var he *echo.HTTPError
	if err != nil && errors.As(err, &he) {
		// A refused token still gets the page (with its status), so the
		// board can tell the host page exactly why over postMessage; a
		// JSON body in an iframe would say nothing to anyone.
		body, ok := he.Message.(HTTPError)
		if !ok || !strings.HasPrefix(body.Error.Code, "token_") {
			return err
		}
		status = he.Code
		meta += `<meta name="sketchpad-embed-error" content="` + html.EscapeString(body.Error.Code) + `">`
	} else if err != nil {
		return err
	}
	if acc.readOnly {
		meta += `<meta name="sketchpad-read-only" content="1">`
	}
	if acc.moderate {
		meta += `<meta name="sketchpad-moderator" content="1">`
	}
	page, err := fs.ReadFile(a.assets, "index.html")
	if err != nil {
		return err
	}
	page = []byte(strings.Replace(string(page), "</head>", meta+"</head>", 1))
	a.setPageCSP(c, a.frameAncestors())
	return servePage(c, status, page, "no-store")
}

func (a *App) frameAncestors() string {
	if len(a.cfg.EmbedOrigins) == 0 {
		return "'none'"
	}
	return strings.Join(a.cfg.EmbedOrigins, " ")
}

// embedJS serves the host-page library (Sketchpad.mount).
func (a *App) embedJS(c echo.Context) error {
	return a.web.embedJS.serve(c)
}

// TokenRequest is the body of POST /api/tokens.
type TokenRequest struct {
	Board string `json:"board"`
	Can   string `json:"can"`
	Name  string `json:"name"`
	TTL   string `json:"ttl"` // a Go duration such as "1h"; default 1h, at most 30 days
}

// TokenResponse is its answer.
type TokenResponse struct {
	Token   string    `json:"token"`
	Expires time.Time `json:"expires"`
	Embed   string    `json:"embed"` // the embed path with the token
}

// mintToken is POST /api/tokens, for a host site's backend: Authorization:
// Bearer <SKETCHPAD_ADMIN_KEY>.
func (a *App) mintToken(c echo.Context) error {
	if a.cfg.AdminKey == "" {
		return apiError(http.StatusNotFound, "not_found", "token minting is off (set SKETCHPAD_ADMIN_KEY)")
	}
	key, _ := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer ")
	if subtle.ConstantTimeCompare([]byte(key), []byte(a.cfg.AdminKey)) != 1 {
		return apiError(http.StatusUnauthorized, "unauthorized", "send Authorization: Bearer <admin key>")
	}
	var req TokenRequest
	if err := c.Bind(&req); err != nil {
		return apiError(http.StatusBadRequest, "bad_request", "body must be JSON: {board, can, name, ttl}")
	}
	tok, claims, err := MintFor(c.Request().Context(), a.links, req)
	if err != nil {
		return apiError(http.StatusBadRequest, "bad_request", err.Error())
	}
	return c.JSON(http.StatusOK, TokenResponse{Token: tok, Expires: time.Unix(claims.Expires, 0).UTC(),
		Embed: "/embed/" + claims.Board + "?token=" + tok})
}

// MintFor checks a token request and mints the token.
func MintFor(ctx context.Context, l *access.Links, req TokenRequest) (string, access.Claims, error) {
	ttl := time.Hour
	if req.TTL != "" {
		d, err := time.ParseDuration(req.TTL)
		if err != nil || d <= 0 || d > 30*24*time.Hour {
			return "", access.Claims{}, errors.New("ttl must be a duration such as 1h, at most 720h")
		}
		ttl = d
	}
	return l.MintToken(ctx, req.Board, req.Can, req.Name, time.Now().Add(ttl))
}

// Links returns the app's view links and embed tokens (for the `sketchpad
// token` command).
func (a *App) Links() *access.Links { return a.links }
