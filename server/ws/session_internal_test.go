package ws

import (
	"strings"
	"testing"
)

// A handler's panic still reaches gws's Recovery, on the read goroutine,
// and names where it happened.
func TestOnFreshStackRaisesAPanicOnTheCaller(t *testing.T) {
	ran := false
	onFreshStack(func() { ran = true })
	if !ran {
		t.Fatal("f did not run before onFreshStack returned")
	}
	defer func() {
		e := recover()
		msg, _ := e.(string)
		if !strings.Contains(msg, "boom") || !strings.Contains(msg, "handlerThatPanics") {
			t.Fatalf("recovered %v; want the panic value and the handler's stack", e)
		}
	}()
	onFreshStack(handlerThatPanics)
	t.Fatal("onFreshStack returned after a panic")
}

func handlerThatPanics() { panic("boom") }

func BenchmarkOnFreshStack(b *testing.B) {
	n := 0
	for b.Loop() {
		onFreshStack(func() { n++ })
	}
}
