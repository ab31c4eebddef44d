package e2e

// Every browser test runs with the pages' Content-Security-Policy and
// Permissions-Policy on, and fails if Chromium reports a violation or a
// header it cannot read: a policy that breaks the app (a blocked script,
// style, image or socket) shows up as a failed test, not only as a
// console line nobody reads. Chromium logs each violation in the page's
// console (the Log domain, which chromedp enables on every page and frame
// it attaches to; enabling replays what was logged before), and the
// service worker in its own, which the watch attaches to as well.

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"
)

// policyMarkers are what Chromium's messages about the page's policies say.
var policyMarkers = []string{"Content Security Policy", "Content-Security-Policy", "Permissions-Policy", "Trusted Type", "TrustedHTML", "TrustedScript", "trusted-types", "Reporting-Endpoints"}

// policyWatch collects a person's policy messages.
type policyWatch struct {
	mu       sync.Mutex // guards the fields below and watchPolicies' attached
	seen     []string   // policy messages, in order
	expected []string   // substrings of messages a test expects (a refused frame)
}

// watchPolicies starts collecting ctx's target's policy messages (ctx
// need not be attached yet) and fails t at its end if any was unexpected.
func watchPolicies(t *testing.T, ctx context.Context, w *policyWatch) *policyWatch {
	if w == nil {
		w = &policyWatch{}
		t.Cleanup(func() {
			if bad := w.unexpected(); len(bad) > 0 {
				t.Errorf("the browser reported %d policy violations or header errors:\n%s", len(bad), strings.Join(bad, "\n"))
			}
		})
	}
	chromedp.ListenTarget(ctx, w.listen)
	// A service worker logs into a console of its own (its target), which
	// the page's Log domain never sees: attach to each one the page's
	// session discovers (a new deployment is a new worker and target).
	attached := map[target.ID]bool{}
	chromedp.ListenTarget(ctx, func(ev any) {
		var info *target.Info
		switch e := ev.(type) {
		case *target.EventTargetCreated:
			info = e.TargetInfo
		case *target.EventAttachedToTarget:
			info = e.TargetInfo
		}
		if info == nil || info.Type != "service_worker" {
			return
		}
		w.mu.Lock()
		seen := attached[info.TargetID]
		attached[info.TargetID] = true
		w.mu.Unlock()
		if seen {
			return
		}
		swctx, _ := chromedp.NewContext(ctx, chromedp.WithTargetID(info.TargetID))
		chromedp.ListenTarget(swctx, w.listen)
		// Attaching talks to the browser: not from this listener, which
		// would hold up the page's events. A worker gone meanwhile has
		// nothing to report.
		go func() { _ = chromedp.Run(swctx) }()
	})
	return w
}

// listen keeps a log entry that is about a policy.
func (w *policyWatch) listen(ev any) {
	e, ok := ev.(*log.EventEntryAdded)
	if !ok || e.Entry == nil {
		return
	}
	for _, m := range policyMarkers {
		if strings.Contains(e.Entry.Text, m) {
			w.mu.Lock()
			w.seen = append(w.seen, e.Entry.Text)
			w.mu.Unlock()
			return
		}
	}
}

// expectPolicy lets messages containing s pass: a test that checks a
// refusal (a host not allowed to frame a board) causes one on purpose.
func (p *person) expectPolicy(s string) {
	p.policies.mu.Lock()
	defer p.policies.mu.Unlock()
	p.policies.expected = append(p.policies.expected, s)
}

func (w *policyWatch) unexpected() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, s := range w.seen {
		if !slices.ContainsFunc(w.expected, func(e string) bool { return strings.Contains(s, e) }) {
			out = append(out, s)
		}
	}
	return out
}

// The watch itself: a script the policy forbids (inline, injected into the
// page) is blocked, and the watch sees it. Without this, a watch that
// missed everything would pass every test.
func TestThePagePolicyBlocksAnInjectedScriptAndTheTestsSeeIt(t *testing.T) {
	base := startServer(t)
	p := newPerson(t, "Ada")
	p.open(base + "/b/policy-watch")
	// Trusted Types refuse the script's text already; the policy refuses
	// running it too. Either way the browser reports a violation.
	var ran bool
	p.eval(`(() => {
		const s = document.createElement('script');
		try { s.textContent = 'window.injected = true'; } catch (e) { s.append(document.createTextNode('window.injected = true')); }
		document.head.append(s);
		return window.injected === true;
	})()`, &ran)
	if ran {
		t.Fatal("an inline script ran on a board page")
	}
	// Chromium logs the violation as the script is refused; the event may
	// reach us just after the evaluation's answer.
	deadline := time.Now().Add(10 * time.Second)
	for len(p.policies.unexpected()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	bad := p.policies.unexpected()
	if len(bad) == 0 || !strings.Contains(strings.ToLower(bad[0]), "script") {
		t.Fatalf("the watch saw no violation for an inline script: %q", bad)
	}
	t.Logf("seen: %s", bad[0])
	// No string becomes HTML either (Trusted Types).
	var refused bool
	p.eval(`(() => { try { document.createElement('div').innerHTML = '<img src=x>'; return false; } catch (e) { return e instanceof TypeError; } })()`, &refused)
	if !refused {
		t.Error("a page assigned a string to innerHTML: Trusted Types are not required")
	}
	// This test's violations were on purpose.
	p.expectPolicy("")
}

// A board page may use the clipboard's writing (copying links and
// pictures) and no other feature the browser knows, and its
// Permissions-Policy names nothing the browser does not know (which it
// would log, and the watch would fail the test on). Client hints (ch-*)
// are not capabilities and stay at their default.
func TestBoardPagesAllowOnlyTheFeaturesTheAppUses(t *testing.T) {
	base := startServer(t)
	p := newPerson(t, "Ada")
	p.open(base + "/b/permissions")
	var allowed []string
	p.eval(`document.featurePolicy.allowedFeatures().filter((f) => !f.startsWith('ch-')).sort()`, &allowed)
	if !slices.Equal(allowed, []string{"clipboard-write"}) {
		t.Errorf("the board page may use %q, want only clipboard-write", allowed)
	}
}

// The service worker runs under a policy of its own (/sw.js's), and what
// it breaks is logged in its own console, not the page's: the watch
// attaches to it too.
func TestAViolationInTheServiceWorkerIsSeen(t *testing.T) {
	base := startServer(t)
	p := newPerson(t, "Ada")
	p.open(base + "/b/sw-policy-watch")
	p.waitFor("the service worker in control", `navigator.serviceWorker.controller !== null`)
	var sw target.ID
	p.run("find the service worker", chromedp.ActionFunc(func(ctx context.Context) error {
		infos, err := chromedp.Targets(ctx)
		for _, in := range infos {
			if in.Type == "service_worker" {
				sw = in.TargetID
			}
		}
		return err
	}))
	if sw == "" {
		t.Fatal("no service worker target")
	}
	swctx, cancel := chromedp.NewContext(p.ctx, chromedp.WithTargetID(sw))
	defer cancel()
	// /sw.js may fetch from its own origin only.
	if err := chromedp.Run(swctx, chromedp.Evaluate(`fetch('http://blocked.example/x').catch(() => 0)`, nil, awaitPromise)); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(p.policies.unexpected()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	bad := p.policies.unexpected()
	if len(bad) == 0 || !strings.Contains(bad[0], "blocked.example") {
		t.Fatalf("the watch saw no violation in the service worker: %q", bad)
	}
	t.Logf("seen: %s", bad[0])
	p.expectPolicy("")
}
