package main

import (
	"net/http"
	"net/http/pprof"
)

// pprofMux serves Go's profiles (--pprof / SKETCHPAD_PPROF): CPU, heap,
// goroutines, for the load tests and for operators chasing a problem.
func pprofMux() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("/debug/pprof/", pprof.Index)
	m.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	m.HandleFunc("/debug/pprof/profile", pprof.Profile)
	m.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	m.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return m
}
