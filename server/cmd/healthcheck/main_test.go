package main

import (
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestDefaultURL(t *testing.T) {
	for addr, want := range map[string]string{
		"":             "http://127.0.0.1:8080/healthz",
		":8080":        "http://127.0.0.1:8080/healthz",
		"0.0.0.0:9000": "http://127.0.0.1:9000/healthz",
		"[::]:7000":    "http://127.0.0.1:7000/healthz",
		"nonsense":     "http://127.0.0.1:8080/healthz",
	} {
		if got := defaultURL(addr); got != want {
			t.Errorf("defaultURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	var status atomic.Int32
	status.Store(http.StatusOK)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(int(status.Load()))
	}))
	if err := check(ts.URL+"/healthz", time.Second); err != nil {
		t.Errorf("healthy replica: %v", err)
	}
	status.Store(http.StatusServiceUnavailable)
	if err := check(ts.URL+"/healthz", time.Second); err == nil {
		t.Error("a 503 passed the check")
	}
	ts.Close()
	if err := check(ts.URL+"/healthz", time.Second); err == nil {
		t.Error("a closed port passed the check")
	}
}
