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

	"github.com/sketchpad/sketchpad/canvas"
	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/access"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

const adminKey = "test-admin-key-0123456789abcdef-0123"

func embedServer(t *testing.T) *testServer {
	return startWith(t, &config.Config{DataDir: t.TempDir(), RoomIdle: time.Minute,
		EmbedOrigins: []string{"http://host.example:8000"}, AdminKey: adminKey})
}

// mint asks POST /api/tokens for a token.
func mint(t *testing.T, ts *testServer, req server.TokenRequest) server.TokenResponse {
	t.Helper()
	body, _ := json.Marshal(req)
	r, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/tokens", bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out server.TokenResponse
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&out) != nil || out.Token == "" {
		t.Fatalf("mint %+v: %d", req, resp.StatusCode)
	}
	return out
}

func tokenClient(t *testing.T, ts *testServer, board, token, name string) (*client.Client, error) {
	c := client.New(ts.wsURL(board)+"?token="+url.QueryEscape(token), client.Options{Name: name})
	t.Cleanup(c.Close)
	return c, c.Connect(ctxT(t))
}

func TestEmbedTokensDecideViewOrDraw(t *testing.T) {
	ts := embedServer(t)
	ctx := ctxT(t)
	draw := mint(t, ts, server.TokenRequest{Board: "embedded", Can: access.CanDraw, Name: "Host user", TTL: "1h"})
	view := mint(t, ts, server.TokenRequest{Board: "embedded", Can: access.CanView})
	if strings.Contains(draw.Token, "embedded") || !strings.HasPrefix(draw.Embed, "/embed/v.") {
		t.Fatalf("token or embed path gives the board's name away: %+v", draw)
	}
	board := strings.TrimPrefix(strings.SplitN(draw.Embed, "?", 2)[0], "/embed/")

	d, err := tokenClient(t, ts, board, draw.Token, "whatever the page says")
	if err != nil {
		t.Fatalf("draw token: %v", err)
	}
	if _, err := d.Stroke(1, 4, spiral(10, 0), 4); err != nil {
		t.Fatal(err)
	}
	if err := d.WaitAcked(ctx); err != nil {
		t.Fatal(err)
	}
	if p := d.People()[d.Author()]; p.Name != "Host user" {
		t.Errorf("the token's name was not forced: %q", p.Name)
	}
	// The same board by its name, without a token, is the same board.
	o := connect(t, ts, "embedded", "owner")
	sameBoard(t, d.BoardBytes(), o)

	v, err := tokenClient(t, ts, board, view.Token, "viewer")
	if err != nil {
		t.Fatalf("view token: %v", err)
	}
	sameBoard(t, d.BoardBytes(), v)
	_ = v.Send(&canvas.Op{Type: canvas.OpClear, Stroke: 1})
	if code, _, err := v.WaitClosed(ctx); err != nil || code != uint16(canvas.CloseReadOnly) {
		t.Fatalf("view token drew: close %d %v", code, err)
	}
}

func TestEmbedTokensRefusedAtConnect(t *testing.T) {
	ts := embedServer(t)
	links := ts.app.Links()
	ctx := context.Background()
	other := mint(t, ts, server.TokenRequest{Board: "other-board", Can: access.CanDraw})
	expired, _, err := links.MintToken(ctx, "embedded", access.CanDraw, "", time.Now().Add(-time.Second))
	if err != nil {
		t.Fatal(err)
	}
	good := mint(t, ts, server.TokenRequest{Board: "embedded", Can: access.CanDraw}).Token
	tampered := strings.Replace(good, ".", "x.", 1)
	for _, tc := range []struct{ name, token, want string }{
		{"expired", expired, "401"},
		{"another board", other.Token, "403"},
		{"tampered", tampered, "401"},
		{"not a token", "hello", "401"},
	} {
		_, err := tokenClient(t, ts, "embedded", tc.token, "x")
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s token: %v, want an HTTP %s refusal", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct{ token, code string }{{expired, "token_expired"}, {other.Token, "token_wrong_board"}} {
		code, body, _ := get(t, ts.URL+"/embed/embedded?token="+url.QueryEscape(tc.token))
		if code < 400 || !strings.Contains(body, tc.code) {
			t.Errorf("embed page with a bad token: %d %s, want %s", code, body, tc.code)
		}
	}
}

func TestEmbedTokenExpiringMidSessionStopsDrawing(t *testing.T) {
	ts := embedServer(t)
	tok, _, err := ts.app.Links().MintToken(context.Background(), "short", access.CanDraw, "", time.Now().Add(1500*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	c, err := tokenClient(t, ts, "short", tok, "x")
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(2 * time.Second)))
	_ = c.Send(&canvas.Op{Type: canvas.OpClear, Stroke: 1})
	if code, _, err := c.WaitClosed(ctxT(t)); err != nil || code != uint16(canvas.CloseExpired) {
		t.Fatalf("op after expiry: close %d %v, want %d", code, err, uint16(canvas.CloseExpired))
	}
}

func TestEmbedPageFramingHeaders(t *testing.T) {
	ts := embedServer(t)
	code, page, h := get(t, ts.URL+"/embed/demo?host="+url.QueryEscape("http://host.example:8000"))
	if code != 200 || !strings.Contains(page, `name="sketchpad-embed"`) || !strings.Contains(page, `content="http://host.example:8000"`) {
		t.Fatalf("embed page: %d", code)
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "; frame-ancestors http://host.example:8000;") {
		t.Errorf("embed CSP %q", csp)
	}
	if h.Get("X-Frame-Options") != "" {
		t.Errorf("X-Frame-Options %q reaches the embed route", h.Get("X-Frame-Options"))
	}
	_, _, h = get(t, ts.URL+"/b/demo")
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("the app page may be framed: CSP %q", csp)
	}
	if code, body, _ := get(t, ts.URL+"/embed/demo?host="+url.QueryEscape("http://evil.example")); code != 403 || !strings.Contains(body, "host_not_allowed") {
		t.Errorf("a host not on the list: %d %s", code, body)
	}
	plain := startServer(t, t.TempDir())
	if _, _, h := get(t, plain.URL+"/embed/demo"); !strings.Contains(h.Get("Content-Security-Policy"), "; frame-ancestors 'none';") {
		t.Errorf("with no embed origins the embed page may be framed: %q", h.Get("Content-Security-Policy"))
	}
	code, js, h := get(t, ts.URL+"/embed.js")
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") || !strings.Contains(js, "Sketchpad") {
		t.Errorf("/embed.js: %d %s", code, h.Get("Content-Type"))
	}
}

func TestTokenEndpointNeedsTheAdminKey(t *testing.T) {
	ts := embedServer(t)
	post := func(auth, body string) int {
		r, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/tokens", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	ok := `{"board":"b","can":"draw"}`
	if c := post("", ok); c != 401 {
		t.Errorf("no key: %d", c)
	}
	if c := post("Bearer wrong", ok); c != 401 {
		t.Errorf("wrong key: %d", c)
	}
	for _, bad := range []string{`{"board":"b","can":"admin"}`, `{"board":"no way","can":"draw"}`, `{"board":"b","can":"view","ttl":"10000h"}`, `not json`} {
		if c := post("Bearer "+adminKey, bad); c != 400 {
			t.Errorf("%s: %d, want 400", bad, c)
		}
	}
	off := startServer(t, t.TempDir())
	r, _ := http.NewRequest(http.MethodPost, off.URL+"/api/tokens", strings.NewReader(ok))
	resp, err := http.DefaultClient.Do(r)
	if err != nil || resp.StatusCode != 404 {
		t.Errorf("with no admin key the endpoint answers %v %v", resp.StatusCode, err)
	}
}
