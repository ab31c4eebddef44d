package e2e

import (
	"bytes"
	"context"
	"os"
	"sync"
	"time"

	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
	"github.com/go-json-experiment/json/jsontext"
)

// traceTo records a Chrome trace of what runs during during and writes it
// to path as a JSON array of trace events (chrome://tracing and Perfetto
// open it). Benchmarks call it when SKETCHPAD_TRACE names a file: a frame's
// time spent outside the page's script (style, layout, paint, raster, the
// compositor) shows only in a trace. go run ./scripts/bench/trace -trace
// path lists a drag's dropped frames in it with what the page ran over
// each.
func (p *person) traceTo(path string, during func()) {
	p.t.Helper()
	var mu sync.Mutex
	var events []jsontext.Value
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(p.ctx)
	defer cancel()
	chromedp.ListenTarget(ctx, func(ev any) {
		switch e := ev.(type) {
		case *tracing.EventDataCollected:
			mu.Lock()
			events = append(events, e.Value...)
			mu.Unlock()
		case *tracing.EventTracingComplete:
			close(done)
		}
	})
	p.run("trace on", tracing.Start().WithTransferMode(tracing.TransferModeReportEvents).WithTraceConfig(&tracing.TraceConfig{
		IncludedCategories: []string{"devtools.timeline", "disabled-by-default-devtools.timeline", "disabled-by-default-devtools.timeline.frame",
			"toplevel", "blink", "cc", "gpu", "viz", "v8.execute", "disabled-by-default-devtools.timeline.stack"},
	}))
	during()
	p.run("trace off", tracing.End())
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		p.t.Errorf("the trace did not finish in 30 s")
	}
	mu.Lock()
	defer mu.Unlock()
	var b bytes.Buffer
	b.WriteByte('[')
	for i, e := range events {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.Write(e)
	}
	b.WriteString("]\n")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		p.t.Errorf("writing the trace: %v", err)
	}
	p.t.Logf("trace of %d events written to %s", len(events), path)
}
