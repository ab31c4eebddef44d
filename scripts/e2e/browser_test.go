package e2e

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium. make test installs it
// (scripts/setup) and sets SKETCHPAD_REQUIRE_BROWSER, so there a missing
// browser fails the run; a bare `go test ./...` without one skips.
func chromiumPath(t *testing.T) string {
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	if os.Getenv("SKETCHPAD_REQUIRE_BROWSER") != "" {
		t.Fatal("chromium not found: run scripts/setup")
	}
	t.Skip("chromium not found (scripts/setup installs it); skipping browser tests")
	return ""
}

// person is one simulated person: a browser of their own (its own
// allocator, so its own localStorage, and a foreground tab that renders).
type person struct {
	t        *testing.T
	ctx      context.Context
	policies *policyWatch // CSP violations seen on the page (policy_test.go)
}

func newPerson(t *testing.T, name string) *person {
	t.Helper()
	return startPerson(t, name, screen{w: 1000, h: 700}, false)
}

// screen is a browser window's size in CSS pixels, and whether its input is
// touch (a phone: touch events, a coarse pointer, 3 device pixels per CSS
// pixel).
type screen struct {
	name  string
	w, h  int64
	touch bool
}

// newPersonAt is newPerson with a page of exactly s (the viewport
// emulated: a window's own size includes what the page does not get).
func newPersonAt(t *testing.T, name string, s screen) *person {
	t.Helper()
	return startPerson(t, name, s, true)
}

func startPerson(t *testing.T, name string, s screen, exact bool) *person {
	t.Helper()
	dir, err := os.MkdirTemp("", "sketchpad-e2e-profile-")
	if err != nil {
		t.Fatal(err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.UserDataDir(dir),
		chromedp.WindowSize(int(s.w), int(s.h)),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx, chromedp.WithLogf(func(string, ...any) {}))
	policies := watchPolicies(t, ctx, nil)
	t.Cleanup(func() {
		cancelB()
		cancelA()
		// Chromium's helper processes can still be writing its profile
		// for a moment after it exits; t.TempDir's cleanup would fail the
		// test on that.
		for i := 0; i < 50 && os.RemoveAll(dir) != nil; i++ {
			time.Sleep(20 * time.Millisecond)
		}
	})
	if err := chromedp.Run(ctx); err != nil {
		t.Fatalf("%s: start chromium: %v", name, err)
	}
	// SKETCHPAD_E2E_CPU_SLOWDOWN=N runs each page's scripts N times slower
	// (DevTools' CPU throttling): what a loaded machine or a slow phone does
	// to timing, on demand, to look for a test or a page that assumes speed.
	if v := os.Getenv("SKETCHPAD_E2E_CPU_SLOWDOWN"); v != "" {
		rate, err := strconv.ParseFloat(v, 64)
		if err != nil || rate < 1 {
			t.Fatalf("SKETCHPAD_E2E_CPU_SLOWDOWN=%q: want a factor of 1 or more", v)
		}
		if err := chromedp.Run(ctx, emulation.SetCPUThrottlingRate(rate)); err != nil {
			t.Fatalf("%s: slow the CPU down: %v", name, err)
		}
	}
	if s.touch {
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(s.w, s.h, chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch)); err != nil {
			t.Fatalf("%s: emulate a phone: %v", name, err)
		}
	} else if exact {
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(s.w, s.h)); err != nil {
			t.Fatalf("%s: emulate a %d×%d window: %v", name, s.w, s.h, err)
		}
	}
	return &person{t: t, ctx: ctx, policies: policies}
}

// run runs actions with a deadline.
func (p *person) run(what string, actions ...chromedp.Action) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Run(ctx, actions...); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a board page and waits until it is live.
func (p *person) open(url string) {
	p.t.Helper()
	p.run("open "+url,
		chromedp.Navigate(url),
		chromedp.Poll(`window.sketchpad && window.sketchpad.status() === 'live'`, nil, chromedp.WithPollingInterval(50*time.Millisecond)),
	)
}

func (p *person) eval(js string, out any) {
	p.t.Helper()
	p.run("eval "+js, chromedp.Evaluate(js, out))
}

// drag presses the left button at from, moves through the points, and
// releases: what a person does with a mouse.
func (p *person) drag(pts [][2]float64) {
	p.t.Helper()
	p.run("drag", chromedp.ActionFunc(func(ctx context.Context) error {
		first := pts[0]
		if err := input.DispatchMouseEvent(input.MouseMoved, first[0], first[1]).Do(ctx); err != nil {
			return err
		}
		if err := input.DispatchMouseEvent(input.MousePressed, first[0], first[1]).
			WithButton(input.Left).WithButtons(1).WithClickCount(1).Do(ctx); err != nil {
			return err
		}
		for _, pt := range pts[1:] {
			if err := input.DispatchMouseEvent(input.MouseMoved, pt[0], pt[1]).
				WithButton(input.Left).WithButtons(1).Do(ctx); err != nil {
				return err
			}
			time.Sleep(4 * time.Millisecond)
		}
		last := pts[len(pts)-1]
		return input.DispatchMouseEvent(input.MouseReleased, last[0], last[1]).
			WithButton(input.Left).WithButtons(0).WithClickCount(1).Do(ctx)
	}))
}

// canvasPixels returns the drawing surface (the largest canvas) as a data
// URL: what the person sees, pixel for pixel.
func (p *person) canvasPixels() string {
	var url string
	p.eval(`(() => {
		const cs = [...document.querySelectorAll('canvas:not(.lasers)')];
		cs.sort((a, b) => b.width * b.height - a.width * a.height);
		return cs[0].toDataURL('image/png');
	})()`, &url)
	return url
}

// inkAt reports whether the drawing surface has a non-background pixel
// near CSS point (x, y).
func (p *person) inkAt(x, y float64) bool {
	var ink bool
	p.eval(inkJS(x, y), &ink)
	return ink
}

func (p *person) waitFor(what, js string) {
	p.t.Helper()
	p.run("wait for "+what, chromedp.Poll(js, nil, chromedp.WithPollingInterval(50*time.Millisecond)))
}

func (p *person) screenshot(path string) {
	var buf []byte
	p.run("screenshot", chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		buf, err = page.CaptureScreenshot().Do(ctx)
		return err
	}))
	_ = os.WriteFile(path, buf, 0o644)
}
