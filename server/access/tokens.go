package access

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Embed tokens let a host site decide who may view or draw on an embedded
// board, without cookies (which do not work in cross-site iframes).
//
// A token is base64url(JSON claims) "." base64url(HMAC-SHA256 of the first
// part), keyed by a key derived from the server secret. The claims name the
// board by its view id, never by its name, so a token holder cannot turn it
// into an edit link; what a token allows is only what it says.
type Claims struct {
	Board   string `json:"b"` // the board's view id ("v....")
	Can     string `json:"c"` // CanView, CanDraw or CanModerate
	Name    string `json:"n,omitempty"`
	Expires int64  `json:"e"` // Unix seconds
}

// Capabilities a token grants.
const (
	CanView = "view"
	CanDraw = "draw"
	// CanModerate draws and may also remove someone's work, and undo
	// that (room.Moderator).
	CanModerate = "moderate"
)

func knownCan(can string) bool { return can == CanView || can == CanDraw || can == CanModerate }

// Token errors, each with an HTTP status and an error code for the JSON body.
var (
	ErrTokenMalformed = errors.New("token is malformed")
	ErrTokenSignature = errors.New("token signature does not match (another server's, or altered)")
	ErrTokenExpired   = errors.New("token has expired")
	ErrTokenBoard     = errors.New("token is for another board")
)

// MintToken returns a token for board (a board name) granting can until
// expires, shown under name.
func (l *Links) MintToken(ctx context.Context, board, can, name string, expires time.Time) (string, Claims, error) {
	if !BoardName.MatchString(board) {
		return "", Claims{}, errors.New("board names are 1 to 64 letters, digits, '-' and '_'")
	}
	if !knownCan(can) {
		return "", Claims{}, fmt.Errorf("can must be %q, %q or %q", CanView, CanDraw, CanModerate)
	}
	if len(name) > 64 || !utf8.ValidString(name) {
		return "", Claims{}, errors.New("name must be UTF-8, at most 64 bytes")
	}
	view, err := l.ViewID(ctx, board)
	if err != nil {
		return "", Claims{}, err
	}
	k, err := l.derived(ctx)
	if err != nil {
		return "", Claims{}, err
	}
	key := k.token
	c := Claims{Board: view, Can: can, Name: name, Expires: expires.Unix()}
	body, _ := json.Marshal(c)
	payload := base64.RawURLEncoding.EncodeToString(body)
	return payload + "." + base64.RawURLEncoding.EncodeToString(sign(key, payload)), c, nil
}

func sign(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return m.Sum(nil)
}

// CheckToken verifies tok's signature and expiry (at now) and returns its
// claims.
func (l *Links) CheckToken(ctx context.Context, tok string, now time.Time) (Claims, error) {
	var c Claims
	payload, sig, ok := strings.Cut(tok, ".")
	if !ok || len(tok) > 1024 {
		return c, ErrTokenMalformed
	}
	want, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return c, ErrTokenMalformed
	}
	k, err := l.derived(ctx)
	if err != nil {
		return c, err
	}
	key := k.token
	if !hmac.Equal(want, sign(key, payload)) {
		return c, ErrTokenSignature
	}
	body, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil || json.Unmarshal(body, &c) != nil || !knownCan(c.Can) {
		return c, ErrTokenMalformed
	}
	if now.Unix() >= c.Expires {
		return c, ErrTokenExpired
	}
	return c, nil
}
