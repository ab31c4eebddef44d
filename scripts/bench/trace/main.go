// Command trace reads a Chrome trace written by a browser benchmark
// (SKETCHPAD_TRACE=file on TestResizingAThousandStrokesKeepsFrames and the
// others that call traceTo in scripts/e2e) and lists, for the drag window,
// every frame interval longer than a frame, with what the page's main
// thread ran over it. It is for telling a dropped frame's cause apart:
// the page's script, a garbage collection, the compositor's commit or
// paint, or nothing at all on the main thread (the machine, or another
// thread).
//
//	go run ./scripts/bench/trace -trace /tmp/t.json [-js frontend/dist] [-after 1000] [-min 2]
//
// A dropped frame's stretch is from the previous main frame's start (or,
// if later, the vsync the skipped frames began at) to the next main
// frame's start.
//
// Frames are the main thread's ProxyMain::BeginMainFrame tasks (one per
// frame the renderer begins; the page's and the benchmark's
// requestAnimationFrame callbacks run in them). Each carries the number of
// the display's begin-frame it answers, one per vsync: a gap in those
// numbers is a dropped frame, the interval the benchmark's
// requestAnimationFrame loop sees as 33 ms or more (their start times
// alone jitter by several ms under tracing). The drag window runs from the
// first pointerdown EventDispatch to -after ms past the last pointerup;
// times are printed in ms from the pointerdown (a trace with no pointer
// events, a watching benchmark's: the whole trace, from its first frame of
// the renderer that began the most). For each dropped frame it
// prints the interval between the two main frames, how much of it the main thread was
// busy (wall and thread CPU time: CPU far below wall means the thread was
// waiting for a core), then each main-thread task overlapping it that
// took at least -min ms, with its biggest inner events (FunctionCall with
// the function's name when the page was built with
// SKETCHPAD_BUILD_NAMES=1, EventDispatch with its type, timers, idle and
// animation frame callbacks, garbage collections, style, layout, paint
// and the compositor's Commit), and the longest tasks of the renderer's
// compositor thread and of the GPU process's threads in the interval. A
// last column guesses the class; read the lines, not only the guess.
//
// A task's script is one FunctionCall to the trace; to see which part of
// it took the time, put console.timeStamp('name') calls in the page (a
// names build, not committed): each listed task then shows its marks that
// came at least 1 ms after the one before, with that time.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
)

// event is one trace event; only complete ("X") events and thread names
// are used.
type event struct {
	Name string          `json:"name"`
	Ph   string          `json:"ph"`
	Ts   float64         `json:"ts"`  // µs
	Dur  float64         `json:"dur"` // µs, wall
	Tdur float64         `json:"tdur"`
	Pid  int             `json:"pid"`
	Tid  int             `json:"tid"`
	Args json.RawMessage `json:"args"`

	kids []*event
}

func (e *event) end() float64 { return e.Ts + e.Dur }

type thread struct{ pid, tid int }

func main() {
	path := flag.String("trace", "", "Chrome trace (JSON array of events)")
	after := flag.Float64("after", 1000, "the window ends this long after the last pointerup, ms")
	minTask := flag.Float64("min", 2, "list main-thread tasks at least this long, ms")
	flag.StringVar(&jsDir, "js", "", "the page's built scripts (frontend/dist of the traced build): an anonymous function is shown by the code around it")
	flag.Parse()
	if *path == "" {
		flag.Usage()
		os.Exit(2)
	}
	b, err := os.ReadFile(*path)
	if err != nil {
		log.Fatal(err)
	}
	var all []*event
	if err := json.Unmarshal(b, &all); err != nil {
		log.Fatalf("%s: %v", *path, err)
	}
	names := map[thread]string{}
	for _, e := range all {
		if e.Ph == "M" && e.Name == "thread_name" {
			var a struct{ Name string }
			_ = json.Unmarshal(e.Args, &a)
			names[thread{e.Pid, e.Tid}] = a.Name
		}
	}
	// The page's main thread is the renderer main thread that dispatched
	// the pointerdown.
	var main thread
	var down, up float64
	span, tail := "pointerdown to pointerup", *after*1e3
	for _, e := range all {
		if e.Name != "EventDispatch" {
			continue
		}
		switch dispatchType(e) {
		case "pointerdown":
			if down == 0 {
				down, main = e.Ts, thread{e.Pid, e.Tid}
			}
		case "pointerup":
			up = e.Ts
		}
	}
	if down == 0 || up == 0 {
		// A watching benchmark's page dispatches no pointer events: the
		// window is the whole trace, from the busiest renderer's first frame.
		main, down, up = busiestRenderer(all)
		if down == 0 {
			log.Fatalf("%s: no pointerdown and pointerup dispatched, and no renderer's frames", *path)
		}
		span, tail = "first frame to last", 0
	}
	from, to := down-50e3, up+tail
	byThread := map[thread][]*event{}
	var marks []*event // console.timeStamp on the page's main thread, in time order
	for _, e := range all {
		if e.Name == "TimeStamp" && e.Pid == main.pid && e.Tid == main.tid && e.Ts >= from && e.Ts <= to {
			marks = append(marks, e)
		}
		if e.Ph == "X" && e.end() >= from && e.Ts <= to {
			k := thread{e.Pid, e.Tid}
			byThread[k] = append(byThread[k], e)
		}
	}
	tasks := nest(byThread[main])
	type frame struct {
		ts float64
		id int
	}
	var frames []frame
	for _, e := range byThread[main] {
		if e.Name == "ProxyMain::BeginMainFrame" {
			var a struct {
				ID int `json:"begin_frame_id"`
			}
			_ = json.Unmarshal(e.Args, &a)
			frames = append(frames, frame{e.Ts, a.ID})
		}
	}
	sort.Slice(frames, func(i, j int) bool { return frames[i].ts < frames[j].ts })
	gpu := -1
	for k, n := range names {
		if n == "CrGpuMain" {
			gpu = k.pid
		}
	}
	var others []thread // the renderer's compositor, the GPU process's threads
	for k := range byThread {
		if (k.pid == main.pid && names[k] == "Compositor") || (k.pid == gpu && names[k] != "") || names[k] == "VizCompositorThread" {
			others = append(others, k)
		}
	}
	rel := func(us float64) string { return fmt.Sprintf("%+.0f", (us-down)/1e3) }
	fmt.Printf("%s: %s %.0f ms, %d frames in the window; dropped frames:\n", *path, span, (up-down)/1e3, len(frames))
	dropped := 0
	for i := 1; i < len(frames); i++ {
		z := frames[i].ts
		vsyncs := frames[i].id - frames[i-1].id
		if vsyncs <= 1 || z < down {
			continue
		}
		// A main frame can start well after its vsync when the thread was
		// busy: the stretch that cost the frames began at the previous
		// frame's vsync, which is no later than vsyncs frames before this
		// one started.
		a := min(frames[i-1].ts, z-float64(vsyncs)*1e6/60)
		dropped++
		var busy, cpu, gc, commit, script float64
		var shown []*event
		for _, t := range tasks {
			if t.end() <= a || t.Ts >= z {
				continue
			}
			busy += min(t.end(), z) - max(t.Ts, a)
			cpu += t.Tdur * (min(t.end(), z) - max(t.Ts, a)) / max(t.Dur, 1)
			// A task only partly in the stretch counts for that part.
			in := (min(t.end(), z) - max(t.Ts, a)) / max(t.Dur, 1)
			sc, g, c := classify(t, false)
			script += sc * in
			gc += g * in
			commit += c * in
			if t.Dur >= *minTask*1e3 {
				shown = append(shown, t)
			}
		}
		fmt.Printf("\n%d vsyncs (%.1f ms in requestAnimationFrame) ending at %s ms; looked at %.1f ms before it; main thread busy %.1f ms (CPU %.1f ms); script %.1f, GC %.1f, commit/paint %.1f -> %s\n",
			vsyncs, float64(vsyncs)*1000/60, rel(z), (z-a)/1e3, busy/1e3, cpu/1e3, script/1e3, gc/1e3, commit/1e3, guess(z-a, busy, cpu, script, gc, commit))
		for _, t := range shown {
			fmt.Printf("  task at %s ms: %.1f ms (CPU %.1f)\n", rel(t.Ts), t.Dur/1e3, t.Tdur/1e3)
			var inner []*event
			walk(t, func(e *event) {
				if e != t && interesting(e.Name) && e.Dur >= 0.5e3 {
					inner = append(inner, e)
				}
			})
			sort.Slice(inner, func(i, j int) bool { return inner[i].Dur > inner[j].Dur })
			for _, e := range inner[:min(8, len(inner))] {
				fmt.Printf("    %6.1f ms at %s  %s\n", e.Dur/1e3, rel(e.Ts), label(e))
			}
			last := t.Ts
			for _, m := range marks {
				if m.Ts < t.Ts || m.Ts > t.end() {
					continue
				}
				if m.Ts-last >= 1e3 {
					fmt.Printf("    mark %s after %.1f ms\n", markName(m), (m.Ts-last)/1e3)
				}
				last = m.Ts
			}
		}
		for _, k := range others {
			var long []*event
			for _, e := range nest(byThread[k]) {
				if e.end() > a && e.Ts < z && e.Dur >= 4e3 {
					long = append(long, e)
				}
			}
			for _, e := range long {
				fmt.Printf("  %s: %.1f ms (CPU %.1f) at %s %s\n", names[k], e.Dur/1e3, e.Tdur/1e3, rel(e.Ts), biggestChild(e))
			}
		}
	}
	fmt.Printf("\n%d dropped frames after the pointerdown\n", dropped)
}

// nest sorts a thread's complete events into trees by time containment
// and returns the outermost ones (the thread's tasks).
func nest(evs []*event) []*event {
	sort.Slice(evs, func(i, j int) bool {
		if evs[i].Ts != evs[j].Ts {
			return evs[i].Ts < evs[j].Ts
		}
		return evs[i].Dur > evs[j].Dur
	})
	var roots, stack []*event
	for _, e := range evs {
		e.kids = e.kids[:0]
		for len(stack) > 0 && stack[len(stack)-1].end() < e.end() {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			roots = append(roots, e)
		} else {
			p := stack[len(stack)-1]
			p.kids = append(p.kids, e)
		}
		stack = append(stack, e)
	}
	return roots
}

func walk(e *event, f func(*event)) {
	f(e)
	for _, k := range e.kids {
		walk(k, f)
	}
}

// classify splits e's time: script (outermost script events, less the
// collections inside them), garbage collection, and the compositor's
// commit and paint (outermost of each, so nothing is counted twice).
func classify(e *event, inScript bool) (script, gc, commit float64) {
	switch {
	case isGC(e.Name):
		return 0, e.Dur, 0
	case e.Name == "Commit" || e.Name == "Paint" || e.Name == "Layerize" || e.Name == "LayerTreeHost::UpdateLayers":
		return 0, 0, e.Dur
	case !inScript && (e.Name == "FunctionCall" || e.Name == "EvaluateScript" || e.Name == "V8.Execute" || e.Name == "RunMicrotasks"):
		var g, c float64
		for _, k := range e.kids {
			_, kg, kc := classify(k, true)
			g += kg
			c += kc
		}
		return e.Dur - g - c, g, c
	}
	for _, k := range e.kids {
		ks, kg, kc := classify(k, inScript)
		script += ks
		gc += kg
		commit += kc
	}
	return script, gc, commit
}

func isGC(name string) bool {
	return name == "MajorGC" || name == "MinorGC" || name == "V8.GC_MC_INCREMENTAL" || name == "V8.GCFinalizeMC" || name == "BlinkGC.AtomicPhase"
}

func interesting(name string) bool {
	switch name {
	case "FunctionCall", "EventDispatch", "TimerFire", "FireIdleCallback", "FireAnimationFrame", "MessagePort::Accept",
		"Commit", "Paint", "Layerize", "Layout", "UpdateLayoutTree", "ParseHTML", "EvaluateScript", "RunMicrotasks",
		"Canvas2DResourceProvider::Snapshot", "ProxyMain::BeginMainFrame":
		return true
	}
	return isGC(name)
}

// jsDir is the -js flag; scripts caches the files read from it, by name.
var (
	jsDir   string
	scripts = map[string][]string{}
)

// around returns the code of a built script around a 1-based line and
// 0-based column: the text before an anonymous function usually names
// what holds it.
func around(url string, line, col int) string {
	name := url[strings.LastIndexByte(url, '/')+1:]
	if jsDir == "" {
		return name + ":" + fmt.Sprint(line) + ":" + fmt.Sprint(col)
	}
	lines, ok := scripts[name]
	if !ok {
		b, _ := os.ReadFile(jsDir + "/" + name)
		lines = strings.Split(string(b), "\n")
		scripts[name] = lines
	}
	if line < 1 || line > len(lines) || col > len(lines[line-1]) {
		return name + ":" + fmt.Sprint(line) + ":" + fmt.Sprint(col)
	}
	l := lines[line-1]
	return fmt.Sprintf("%q", l[max(0, col-50):col]+" ^ "+l[col:min(len(l), col+30)])
}

// label names an event with what its args say of it.
func label(e *event) string {
	var a struct {
		Data struct {
			FunctionName string `json:"functionName"`
			Type         string `json:"type"`
			URL          string `json:"url"`
			LineNumber   int    `json:"lineNumber"`
			ColumnNumber int    `json:"columnNumber"`
		} `json:"data"`
		Type string `json:"type"`
	}
	_ = json.Unmarshal(e.Args, &a)
	switch {
	case a.Data.FunctionName != "":
		return e.Name + " " + a.Data.FunctionName
	case e.Name == "FunctionCall" && a.Data.URL != "":
		return e.Name + " (anonymous) " + around(a.Data.URL, a.Data.LineNumber, a.Data.ColumnNumber)
	case a.Data.Type != "":
		return e.Name + " " + a.Data.Type
	case a.Type != "":
		return e.Name + " " + a.Type
	}
	return e.Name
}

func markName(e *event) string {
	var a struct{ Data struct{ Message string } }
	_ = json.Unmarshal(e.Args, &a)
	return a.Data.Message
}

func dispatchType(e *event) string {
	var a struct{ Data struct{ Type string } }
	_ = json.Unmarshal(e.Args, &a)
	return a.Data.Type
}

// biggestChild names a task's longest direct child, to say what a task of
// another thread was.
func biggestChild(e *event) string {
	var best *event
	for _, k := range e.kids {
		if k.Name == "ThreadControllerImpl::RunTask" || k.Name == "RunTask" || k.Name == "ThreadPool_RunTask" {
			return biggestChild(k)
		}
		if best == nil || k.Dur > best.Dur {
			best = k
		}
	}
	if best == nil {
		return ""
	}
	return fmt.Sprintf("(%s %.1f ms)", best.Name, best.Dur/1e3)
}

// guess classes an interval from its main thread's time; the lines under
// it are what to read. Tracing itself takes CPU (on two cores a traced
// task's CPU time is often half its wall time), so a low CPU share is
// only noted, not blamed.
func guess(span, busy, cpu, script, gc, commit float64) string {
	note := ""
	if cpu < busy/2 {
		note = " (CPU under half the wall time: also waiting for a core)"
	}
	switch {
	case busy < span/3:
		return "not the main thread (the machine, or another thread)"
	case gc >= script && gc >= commit:
		return "garbage collection" + note
	case commit > script:
		return "compositor commit/paint" + note
	default:
		return "the page's script" + note
	}
}

// busiestRenderer finds the main thread that began the most frames and
// the first and last of them (µs).
func busiestRenderer(all []*event) (main thread, first, last float64) {
	count := map[thread]int{}
	for _, e := range all {
		if e.Ph == "X" && e.Name == "ProxyMain::BeginMainFrame" {
			count[thread{e.Pid, e.Tid}]++
		}
	}
	for k, n := range count {
		if n > count[main] {
			main = k
		}
	}
	for _, e := range all {
		if e.Ph == "X" && e.Name == "ProxyMain::BeginMainFrame" && (thread{e.Pid, e.Tid}) == main {
			if first == 0 || e.Ts < first {
				first = e.Ts
			}
			last = max(last, e.end())
		}
	}
	return main, first, last
}
