package access

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Links turns a board's name into its read-only (view) link id and its
// moderator link id, and back.
//
// A view id is "v." followed by the board name encrypted under a key derived
// from the server secret (AES-256-GCM, with the nonce derived from the name,
// so a board's view link never changes). Knowing a view link reveals
// nothing about the board's name, so a viewer cannot make an edit link from
// it, and no id can be forged without the secret. Every replica must share
// the secret (SKETCHPAD_SECRET, or the one kept in the data directory or in
// Redis).
type Links struct {
	load func(context.Context) ([]byte, error)

	mu   sync.Mutex
	keys *linkKeys // nil until the secret is loaded
}

// linkKeys are the keys derived from the secret.
type linkKeys struct {
	aead  cipher.AEAD // seals view ids
	nonce []byte      // key for deriving a view id's nonce from the name
	token []byte      // HMAC key for embed tokens
	mod   cipher.AEAD // seals moderator ids (another key: a view id is no moderator id)
}

// BoardName is what a board may be called: the name in its link.
var BoardName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// ViewPrefix starts every view id; board names cannot contain '.'.
const ViewPrefix = "v."

// ModPrefix starts every moderator id: a board's moderator link is
// /b/m.…, sealed as a view id is but under a key of its own, so neither a
// view link nor the board's name makes one without the secret. Whoever
// holds the edit link can have it (the share menu), whoever holds only
// the moderator link can draw and moderate, not learn the board's name.
const ModPrefix = "m."

// ErrNoSecret: the secret could not be loaded yet (Redis down, say).
var ErrNoSecret = errors.New("server secret not available yet")

// NewLinks returns Links over a secret loaded (once, retried until it
// works) by load.
func NewLinks(load func(context.Context) ([]byte, error)) *Links { return &Links{load: load} }

// derived returns the keys, loading the secret the first time it can.
func (l *Links) derived(ctx context.Context) (*linkKeys, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys != nil {
		return l.keys, nil
	}
	secret, err := l.load(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoSecret, err)
	}
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	block, _ := aes.NewCipher(derive("sketchpad view link key"))
	aead, _ := cipher.NewGCM(block)
	block, _ = aes.NewCipher(derive("sketchpad moderator link key"))
	mod, _ := cipher.NewGCM(block)
	l.keys = &linkKeys{aead: aead, nonce: derive("sketchpad view link nonce"), token: derive("sketchpad embed token key"), mod: mod}
	return l.keys, nil
}

// ViewID returns the view id of board room.
func (l *Links) ViewID(ctx context.Context, room string) (string, error) {
	return l.seal(ctx, room, ViewPrefix)
}

// ModID returns the moderator id of board room.
func (l *Links) ModID(ctx context.Context, room string) (string, error) {
	return l.seal(ctx, room, ModPrefix)
}

func (l *Links) seal(ctx context.Context, room, prefix string) (string, error) {
	k, err := l.derived(ctx)
	if err != nil {
		return "", err
	}
	aead := k.aeadFor(prefix)
	m := hmac.New(sha256.New, k.nonce)
	m.Write([]byte(room))
	nonce := m.Sum(nil)[:aead.NonceSize()]
	sealed := aead.Seal(append([]byte(nil), nonce...), nonce, []byte(room), nil)
	return prefix + base64.RawURLEncoding.EncodeToString(sealed), nil
}

func (k *linkKeys) aeadFor(prefix string) cipher.AEAD {
	if prefix == ModPrefix {
		return k.mod
	}
	return k.aead
}

// Room returns the board a view id names, or an error for an id that was
// not made by ViewID with this secret.
func (l *Links) Room(ctx context.Context, id string) (string, error) {
	return l.open(ctx, id, ViewPrefix, "view")
}

// ModRoom returns the board a moderator id names, or an error for an id
// that was not made by ModID with this secret.
func (l *Links) ModRoom(ctx context.Context, id string) (string, error) {
	return l.open(ctx, id, ModPrefix, "moderator")
}

func (l *Links) open(ctx context.Context, id, prefix, what string) (string, error) {
	raw, ok := strings.CutPrefix(id, prefix)
	if !ok {
		return "", errors.New("not a " + what + " link")
	}
	k, err := l.derived(ctx)
	if err != nil {
		return "", err
	}
	aead := k.aeadFor(prefix)
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil || len(b) < aead.NonceSize()+aead.Overhead() {
		return "", errors.New("malformed " + what + " link")
	}
	room, err := aead.Open(nil, b[:aead.NonceSize()], b[aead.NonceSize():], nil)
	if err != nil || !BoardName.Match(room) {
		return "", errors.New("unknown " + what + " link")
	}
	return string(room), nil
}

// FileSecret keeps a generated secret in dir/secret (mode 0600).
func FileSecret(dir string) func(context.Context) ([]byte, error) {
	return func(context.Context) ([]byte, error) {
		p := filepath.Join(dir, "secret")
		if b, err := os.ReadFile(p); err == nil && len(b) >= 32 {
			return b, nil
		}
		s := []byte(NewSecret())
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, os.ErrExist) {
			return os.ReadFile(p) // another process won
		}
		if err != nil {
			return nil, err
		}
		if _, err := f.Write(s); err != nil {
			f.Close()
			return nil, err
		}
		return s, f.Close()
	}
}

// NewSecret returns a fresh random secret (hex).
func NewSecret() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
