package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/access"
)

// Embed tokens and view links govern a board's images as they govern its
// ink: a token that may draw uploads, a view token or a view link only
// fetches, and an expired, foreign or forged token gets the JSON refusal
// the README documents, with nothing stored.
func TestImageAccessFollowsLinksAndTokens(t *testing.T) {
	ts := embedServer(t)
	const room = "embedded"
	q := func(tok string) string { return "?token=" + url.QueryEscape(tok) }
	draw := mint(t, ts, server.TokenRequest{Board: room, Can: access.CanDraw}).Token
	view := mint(t, ts, server.TokenRequest{Board: room, Can: access.CanView}).Token
	other := mint(t, ts, server.TokenRequest{Board: "other-board", Can: access.CanDraw}).Token
	expired, _, err := ts.app.Links().MintToken(context.Background(), room, access.CanDraw, "", time.Now().Add(-time.Second))
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(draw, ".", "x.", 1)
	vid := viewID(t, ts, room)

	pic := pngOf(t, 20, 10, false)
	code, up := uploadWith(t, ts, room, q(draw), pic)
	if code != http.StatusCreated {
		t.Fatalf("upload with a draw token: %d %+v, want 201", code, up)
	}
	img := "/img/" + up.Hash

	// Whoever can see the board fetches it.
	for _, path := range []string{room + img + q(view), vid + img, vid + img + q(view), room + img + q(draw)} {
		if code, body, _ := get(t, ts.URL+"/b/"+path); code != http.StatusOK || body != string(pic) {
			t.Errorf("GET /b/%s: %d, want 200 and the image", path, code)
		}
	}

	// Nobody else uploads, and a refused upload stores nothing.
	other2 := pngOf(t, 12, 12, true)
	for _, tc := range []struct {
		name, seg, query string
		status           int
		code             string
	}{
		{"a view token", room, q(view), http.StatusForbidden, "read_only"},
		{"a view link", vid, "", http.StatusForbidden, "read_only"},
		{"an expired token", room, q(expired), http.StatusUnauthorized, "token_expired"},
		{"another board's token", room, q(other), http.StatusForbidden, "token_wrong_board"},
		{"a forged token", room, q(forged), http.StatusUnauthorized, "token_invalid"},
	} {
		if code, a := uploadWith(t, ts, tc.seg, tc.query, other2); code != tc.status || a.Error.Code != tc.code {
			t.Errorf("upload with %s: %d %q, want %d %s", tc.name, code, a.Error.Code, tc.status, tc.code)
		}
	}
	probe := mint(t, ts, server.TokenRequest{Board: room, Can: access.CanDraw}).Token
	if code, again := uploadWith(t, ts, room, q(probe), other2); code != http.StatusCreated {
		t.Errorf("the refused image, uploaded with a draw token: %d %+v, want 201 (new: none of the refused uploads stored it)", code, again)
	}

	// A bad token does not fetch either, whatever the path names.
	for _, tc := range []struct {
		name, tok string
		status    int
		code      string
	}{
		{"an expired token", expired, http.StatusUnauthorized, "token_expired"},
		{"another board's token", other, http.StatusForbidden, "token_wrong_board"},
		{"a forged token", forged, http.StatusUnauthorized, "token_invalid"},
	} {
		code, body, h := get(t, ts.URL+"/b/"+room+img+q(tc.tok))
		if code != tc.status || !strings.Contains(body, `"`+tc.code+`"`) || strings.Contains(h.Get("Content-Type"), "image/") {
			t.Errorf("GET the image with %s: %d %s, want %d %s", tc.name, code, body, tc.status, tc.code)
		}
	}
}

// uploadWith is upload to the board path segment seg with a query (a token).
func uploadWith(t *testing.T, ts *testServer, seg, query string, body []byte) (int, uploadAnswer) {
	t.Helper()
	resp, err := http.Post(ts.URL+"/api/boards/"+seg+"/images"+query, "image/png", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a uploadAnswer
	if err := json.NewDecoder(resp.Body).Decode(&a); err != nil {
		t.Fatalf("upload answer is not JSON (%d): %v", resp.StatusCode, err)
	}
	return resp.StatusCode, a
}
