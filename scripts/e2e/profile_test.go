package e2e

import (
	"context"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/profiler"
	"github.com/chromedp/chromedp"
)

// profileIfAsked starts the page's CPU profiler when SKETCHPAD_PROFILE is
// set and returns what stops it and logs what it found: the busy time by
// kind, the functions most on top of the stack and who called them, the
// longest stretch without an idle sample, and what the first 150 and 600
// ms held. Function names are those of the page's bundle: build it with
// SKETCHPAD_BUILD_NAMES=1 to read them.
func profileIfAsked(t *testing.T, p *person) func() {
	if os.Getenv("SKETCHPAD_PROFILE") == "" {
		return func() {}
	}
	startProfile(p)
	return func() {
		prof := stopProfile(p)
		self := selfCounts(prof)
		type kv struct {
			k string
			v int64
		}
		var all []kv
		for k, v := range self {
			all = append(all, kv{k, v})
		}
		sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
		// Busy time by kind, at the sampling interval (200 µs): what the drag cost the page's thread.
		var script, gc, program int64
		for _, e := range all {
			switch {
			case strings.HasPrefix(e.k, "(garbage collector)"):
				gc += e.v
			case strings.HasPrefix(e.k, "(program)"):
				program += e.v
			case !strings.HasPrefix(e.k, "(idle)") && !strings.HasPrefix(e.k, "(root)"):
				script += e.v
			}
		}
		t.Logf("PROFILE busy: script %.1f ms, garbage collector %.1f ms, the browser's own (program) %.1f ms", float64(script)/5, float64(gc)/5, float64(program)/5)
		for _, e := range all[:min(15, len(all))] {
			t.Logf("PROFILE %6d %s", e.v, e.k)
		}
		var named []string
		for _, e := range all {
			if len(named) < 6 && !strings.HasPrefix(e.k, "(") {
				named = append(named, e.k)
			}
		}
		logCallers(t, prof, named...)
		logLongestBusy(t, prof)
		logFirst(t, prof, 600*time.Millisecond)
		logFirst(t, prof, 150*time.Millisecond)
	}
}

// logLongestBusy logs what a CPU profile's longest stretch of samples
// without an idle one held: a stall of the page (its length, then the
// functions most on top of the stack in it, then those most often anywhere
// in it; "(garbage collector)" and "(program)", the browser's own work,
// included), to tell a collection from a repaint or a fold.
func logLongestBusy(t *testing.T, prof *profiler.Profile) {
	t.Helper()
	if prof == nil || len(prof.Samples) == 0 {
		return
	}
	tr := treeOf(prof)
	idle := func(id int64) bool { return tr.byID[id].CallFrame.FunctionName == "(idle)" }
	// The stretch [from, to) of samples, and its length in µs.
	bestFrom, bestTo, bestUs := 0, 0, int64(0)
	from, us := 0, int64(0)
	for i, id := range prof.Samples {
		d := int64(0)
		if i+1 < len(prof.TimeDeltas) {
			d = prof.TimeDeltas[i+1]
		}
		if idle(id) {
			from, us = i+1, 0
			continue
		}
		us += d
		if us > bestUs {
			bestFrom, bestTo, bestUs = from, i+1, us
		}
	}
	self, incl := map[string]int64{}, map[string]int64{}
	for _, id := range prof.Samples[bestFrom:bestTo] {
		tr.count(id, self, incl)
	}
	top := func(m map[string]int64) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return m[ks[i]] > m[ks[j]] })
		return ks[:min(12, len(ks))]
	}
	t.Logf("BUSIEST stretch: %.1f ms, %d samples", float64(bestUs)/1000, bestTo-bestFrom)
	for _, k := range top(self) {
		t.Logf("BUSIEST self %5d %s", self[k], k)
	}
	for _, k := range top(incl) {
		t.Logf("BUSIEST incl %5d %s", incl[k], k)
	}
}

// logCallers logs, for each of the functions named (as the profile lines
// name them), the call paths above it that its samples came through most
// often, three callers deep: which code asked for the work.
func logCallers(t *testing.T, prof *profiler.Profile, fns ...string) {
	t.Helper()
	tr := treeOf(prof)
	parent, name := tr.parent, tr.name
	for _, fn := range fns {
		paths := map[string]int64{}
		for _, n := range prof.Nodes {
			if name(n.ID) != fn || n.HitCount == 0 {
				continue
			}
			var up []string
			for id, ok := parent[n.ID]; ok && len(up) < 3; id, ok = parent[id] {
				up = append(up, name(id))
			}
			paths[strings.Join(up, " < ")] += n.HitCount
		}
		var ks []string
		for k := range paths {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return paths[ks[i]] > paths[ks[j]] })
		for _, k := range ks[:min(4, len(ks))] {
			t.Logf("CALLERS %s %6d < %s", fn, paths[k], k)
		}
	}
}

// logFirst logs the functions most on top of the stack in the profile's
// first d (the drag's start: where code not yet optimised and the first
// pictures of the new pose are), with the samples' total time.
func logFirst(t *testing.T, prof *profiler.Profile, d time.Duration) {
	t.Helper()
	tr := treeOf(prof)
	byID := tr.byID
	self, incl := map[string]int64{}, map[string]int64{}
	var at, busy int64
	for i, id := range prof.Samples {
		if i < len(prof.TimeDeltas) {
			at += prof.TimeDeltas[i]
		}
		if at > d.Microseconds() {
			break
		}
		if byID[id].CallFrame.FunctionName == "(idle)" {
			continue
		}
		busy++
		tr.count(id, self, incl)
	}
	t.Logf("FIRST %v: %d busy samples", d, busy)
	for _, m := range []struct {
		kind string
		n    map[string]int64
	}{{"self", self}, {"incl", incl}} {
		var ks []string
		for k := range m.n {
			ks = append(ks, k)
		}
		sort.Slice(ks, func(i, j int) bool { return m.n[ks[i]] > m.n[ks[j]] })
		for _, k := range ks[:min(15, len(ks))] {
			t.Logf("FIRST %s %5d %s", m.kind, m.n[k], k)
		}
	}
}

// startProfile starts the page's CPU profiler, sampling every 200 µs.
func startProfile(p *person) {
	p.run("profile on", profiler.Enable(), profiler.SetSamplingInterval(200), profiler.Start())
}

// stopProfile stops it and returns what it sampled.
func stopProfile(p *person) *profiler.Profile {
	var prof *profiler.Profile
	p.run("profile off", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		prof, err = profiler.Stop().Do(ctx)
		return err
	}))
	return prof
}

// profTree is a profile's nodes by id, each node's parent, and a node's
// name as the profile lines give it (function@line:column).
type profTree struct {
	byID   map[int64]*profiler.ProfileNode
	parent map[int64]int64
}

func treeOf(prof *profiler.Profile) profTree {
	t := profTree{byID: map[int64]*profiler.ProfileNode{}, parent: map[int64]int64{}}
	for _, n := range prof.Nodes {
		t.byID[n.ID] = n
		for _, c := range n.Children {
			t.parent[c] = n.ID
		}
	}
	return t
}

// count counts a sample of node id: once for its own function in self,
// and once for each function on its stack (each once) in incl.
func (t profTree) count(id int64, self, incl map[string]int64) {
	self[t.name(id)]++
	seen := map[string]bool{}
	for n, ok := id, true; ok; n, ok = t.parent[n] {
		if k := t.name(n); !seen[k] {
			seen[k] = true
			incl[k]++
		}
	}
}

func (t profTree) name(id int64) string {
	f := t.byID[id].CallFrame
	return f.FunctionName + "@" + itoa(int(f.LineNumber)) + ":" + itoa(int(f.ColumnNumber))
}

// selfCounts is each function's samples of its own, by name.
func selfCounts(prof *profiler.Profile) map[string]int64 {
	self := map[string]int64{}
	for _, n := range prof.Nodes {
		self[n.CallFrame.FunctionName+"@"+itoa(int(n.CallFrame.LineNumber))+":"+itoa(int(n.CallFrame.ColumnNumber))] += n.HitCount
	}
	return self
}
