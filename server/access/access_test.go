package access

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func testLinks(secret string) *Links {
	return NewLinks(func(context.Context) ([]byte, error) { return []byte(secret), nil })
}

// A view id names its board only to a holder of the secret: it turns back
// into the board, is the same every time, and an altered one or another
// service's is refused.
func TestAViewLinkRoundTripsAndCannotBeForged(t *testing.T) {
	ctx := context.Background()
	l := testLinks(strings.Repeat("s", 32))
	id, err := l.ViewID(ctx, "my-board")
	if err != nil || !strings.HasPrefix(id, ViewPrefix) || strings.Contains(id, "my-board") {
		t.Fatalf("view id %q (%v): want a %q id that does not show the name", id, err, ViewPrefix)
	}
	if again, _ := l.ViewID(ctx, "my-board"); again != id {
		t.Errorf("view id changed: %q then %q", id, again)
	}
	if room, err := l.Room(ctx, id); err != nil || room != "my-board" {
		t.Fatalf("room of the view id: %q, %v", room, err)
	}
	altered := []byte(id)
	if i := len(altered) - 2; altered[i] == 'A' {
		altered[i] = 'B'
	} else {
		altered[i] = 'A'
	}
	if room, err := l.Room(ctx, string(altered)); err == nil {
		t.Errorf("an altered view id opened %q", room)
	}
	if room, err := testLinks(strings.Repeat("t", 32)).Room(ctx, id); err == nil {
		t.Errorf("another secret opened %q", room)
	}
}

// A token grants what it says on its board until it expires; another
// board, an expired token, an altered one and another service's are each
// refused with their own error.
func TestAnEmbedTokenGrantsWhatItSaysUntilItExpires(t *testing.T) {
	ctx := context.Background()
	l := testLinks(strings.Repeat("s", 32))
	now := time.Now()
	tok, claims, err := l.MintToken(ctx, "board", CanDraw, "Ada", now.Add(time.Hour))
	if err != nil || claims.Can != CanDraw || claims.Name != "Ada" {
		t.Fatalf("mint: %+v, %v", claims, err)
	}
	got, err := l.CheckToken(ctx, tok, now)
	if err != nil || got != claims {
		t.Fatalf("check: %+v, %v; want %+v", got, err, claims)
	}
	if room, err := l.Room(ctx, got.Board); err != nil || room != "board" {
		t.Errorf("the token's board is %q (%v), want board", room, err)
	}
	if _, err := l.CheckToken(ctx, tok, now.Add(2*time.Hour)); !errors.Is(err, ErrTokenExpired) {
		t.Errorf("an hour past expiry: %v, want ErrTokenExpired", err)
	}
	if _, err := testLinks(strings.Repeat("t", 32)).CheckToken(ctx, tok, now); !errors.Is(err, ErrTokenSignature) {
		t.Errorf("another secret: %v, want ErrTokenSignature", err)
	}
	if _, err := l.CheckToken(ctx, "x"+tok, now); err == nil {
		t.Error("an altered token was accepted")
	}
	if _, err := l.CheckToken(ctx, "not a token", now); !errors.Is(err, ErrTokenMalformed) {
		t.Errorf("garbage: %v, want ErrTokenMalformed", err)
	}
	if _, _, err := l.MintToken(ctx, "no/slashes", CanView, "", now.Add(time.Hour)); err == nil {
		t.Error("minted a token for a board name no link can have")
	}
}

// A moderator id is sealed as a view id is but under its own key: it turns
// back into its board, and a view id made into one (or one into a view
// id) opens nothing, so a viewer cannot make themselves a moderator.
func TestAModeratorLinkIsNoViewLinkAndCannotBeMadeFromOne(t *testing.T) {
	ctx := context.Background()
	l := testLinks(strings.Repeat("s", 32))
	mod, err := l.ModID(ctx, "my-board")
	if err != nil || !strings.HasPrefix(mod, ModPrefix) || strings.Contains(mod, "my-board") {
		t.Fatalf("moderator id %q (%v)", mod, err)
	}
	if room, err := l.ModRoom(ctx, mod); err != nil || room != "my-board" {
		t.Fatalf("room of the moderator id: %q, %v", room, err)
	}
	view, _ := l.ViewID(ctx, "my-board")
	if room, err := l.ModRoom(ctx, ModPrefix+strings.TrimPrefix(view, ViewPrefix)); err == nil {
		t.Errorf("a view id passed off as a moderator id opened %q", room)
	}
	if room, err := l.Room(ctx, ViewPrefix+strings.TrimPrefix(mod, ModPrefix)); err == nil {
		t.Errorf("a moderator id passed off as a view id opened %q", room)
	}
	if _, err := l.ModRoom(ctx, view); err == nil {
		t.Error("a view id opened as a moderator id")
	}
}
