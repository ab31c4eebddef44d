package server_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sketchpad/sketchpad/server"
	"github.com/sketchpad/sketchpad/server/client"
	"github.com/sketchpad/sketchpad/server/config"
)

// getFrom is a GET as the client at addr, behind a trusted proxy on
// loopback (X-Forwarded-For).
func getFrom(t *testing.T, addr, method, url string) (int, []byte, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b, resp.Header
}

func wsFrom(ts *testServer, addr, room string) *client.Client {
	return client.New(ts.wsURL(room), client.Options{Header: http.Header{"X-Forwarded-For": {addr}}})
}

func TestHTTPBudgetRefusesAnAddressOverItWith429AndLeavesOthersAlone(t *testing.T) {
	// Burst 1, then a token every 2 s: the checks below run before the next.
	const rate = 0.5
	ts := limitServer(t, func(c *config.Config) { c.RateHTTP = rate; c.TrustedProxies = []string{"127.0.0.0/8"} })
	const greedy, other = "198.51.100.1", "198.51.100.2"

	// Within budget everything passes; the budget runs out after about
	// its burst (a token comes back every 1/rate s meanwhile).
	ok := 0
	var code int
	var body []byte
	var h http.Header
	for ok < 30 {
		if code, body, h = getFrom(t, greedy, "GET", ts.URL+"/b/budget.svg"); code != http.StatusOK {
			break
		}
		ok++
	}
	if ok < 1 || ok > 2 {
		t.Errorf("%d pictures served before a refusal, want the burst (1), or 2 if a token came back meanwhile", ok)
	}
	if code != http.StatusTooManyRequests {
		t.Fatalf("over budget: HTTP %d, want 429", code)
	}
	if s, err := strconv.Atoi(h.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After %q, want whole seconds, at least 1", h.Get("Retry-After"))
	}
	var e server.HTTPError
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != "rate_limited" || e.Error.Message == "" {
		t.Errorf("429 body %s, want the JSON error rate_limited", body)
	}
	if n := metric(t, ts, `sketchpad_limit_hits_total{limit="http"}`); n < 1 {
		t.Errorf("limit_hits_total{limit=\"http\"} = %v, want the refusal counted", n)
	}

	// Every limited endpoint refuses the greedy address: pages, embeds,
	// token minting, and a WebSocket upgrade before it upgrades.
	for _, p := range []struct{ method, path string }{
		{"GET", "/b/budget"}, {"GET", "/embed/budget"}, {"POST", "/api/tokens"}, {"GET", "/b/budget.svg"},
	} {
		if code, _, _ := getFrom(t, greedy, p.method, ts.URL+p.path); code != http.StatusTooManyRequests {
			t.Errorf("%s %s over budget: HTTP %d, want 429", p.method, p.path, code)
		}
	}
	c := wsFrom(ts, greedy, "budget")
	if err := c.Connect(ctxT(t)); err == nil || !strings.Contains(err.Error(), "429") {
		t.Errorf("WebSocket upgrade over budget: %v, want HTTP 429 and no upgrade", err)
	}
	c.Close()
	if n := metric(t, ts, "sketchpad_connections"); n != 0 {
		t.Errorf("%v connections open after a refused upgrade", n)
	}
	// What costs nothing is never limited.
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/embed.js"} {
		if code, _, _ := getFrom(t, greedy, "GET", ts.URL+p); code != http.StatusOK {
			t.Errorf("GET %s from an address over budget: HTTP %d, want 200", p, code)
		}
	}

	// Other addresses have budgets of their own (a burst of one each here).
	for i, p := range []string{"/b/budget", "/b/budget.svg", "/embed/budget"} {
		if code, _, _ := getFrom(t, "198.51.100."+itoa(10+i), "GET", ts.URL+p); code != http.StatusOK {
			t.Errorf("GET %s from another address: HTTP %d, want 200", p, code)
		}
	}
	d := wsFrom(ts, other, "budget") // its own burst: not used above
	if err := d.Connect(ctxT(t)); err != nil {
		t.Errorf("another address's WebSocket: %v", err)
	}
	d.Close()

	// The greedy address gets its budget back at its rate.
	time.Sleep(time.Duration(float64(time.Second)/rate) + 100*time.Millisecond)
	if code, _, _ := getFrom(t, greedy, "GET", ts.URL+"/b/budget.svg"); code != http.StatusOK {
		t.Errorf("a token's time later: HTTP %d, want 200", code)
	}
}
