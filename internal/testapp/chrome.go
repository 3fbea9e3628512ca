package testapp

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Environment switches of the browser tests.
const (
	// EnvRequireBrowser=1 turns a missing Chromium into a failure instead of a skip (.ci/run sets it).
	EnvRequireBrowser = "SIGNET_REQUIRE_BROWSER"
	// EnvScreenshots=1 saves full-page PNGs to testdata/screens/ at the repository root.
	EnvScreenshots = "SIGNET_SCREENSHOTS"
	// EnvChromium names another Chromium binary (a path, or a name looked up on PATH).
	EnvChromium = "SIGNET_CHROMIUM"
)

// BrowserTimeout is the safety net of one browser step (a navigation, a wait, a click), never a
// performance assertion: a step that hangs fails the test instead of hanging the suite.
const BrowserTimeout = 60 * time.Second

// ChromiumPath returns $SIGNET_CHROMIUM if set (or "" when it does not exist), else Debian's
// /usr/bin/chromium, else `chromium` on PATH, else "".
func ChromiumPath() string {
	if p := os.Getenv(EnvChromium); p != "" {
		p, _ = exec.LookPath(p)
		return p
	}
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// ChromeOptions choose the emulated screen.
type ChromeOptions struct {
	Width, Height int64
	// Phone emulates a phone: device scale factor 2, mobile viewport (meta viewport honoured), touch events.
	Phone bool
}

// Chrome is one headless Chromium tab driven over the DevTools protocol. It records console
// errors, uncaught exceptions, failed loads and CSP violations; the test fails on any of them.
type Chrome struct {
	T     testing.TB
	Ctx   context.Context // the tab; without a deadline (each step gets BrowserTimeout)
	Opts  ChromeOptions
	Name  string // the top-level test's name, for screenshot files
	Shots string // directory for screenshots, "" when EnvScreenshots is not set

	mu       sync.Mutex
	problems []string
	reported int
	console  []string
}

// cspProbe runs in every document before the page's own scripts (DevTools-injected, so the page's
// CSP does not apply to it) and turns every CSP violation into a console error the test sees.
const cspProbe = `addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "(inline)") +
    " in " + (e.sourceFile || document.location.pathname) + ":" + e.lineNumber);
}, true);`

// NewChrome starts headless Chromium with a fresh profile for the test and opens one tab with the
// emulated screen. Without Chromium the test is skipped loudly (failed under EnvRequireBrowser=1).
// Call it after New, so that the browser is closed before the app (cleanups run last-in first-out)
// and a page that polls never sees the server go away.
func NewChrome(t testing.TB, o ChromeOptions) *Chrome {
	t.Helper()
	path := ChromiumPath()
	if path == "" {
		const msg = "SKIPPING browser test: chromium not found; install Debian's chromium to run it"
		if os.Getenv(EnvRequireBrowser) == "1" {
			t.Fatalf("%s (%s=1 makes this a failure)", strings.Replace(msg, "SKIPPING", "CANNOT RUN", 1), EnvRequireBrowser)
		}
		fmt.Fprintln(os.Stderr, "\n*** "+msg+" ***")
		t.Skip(msg)
	}
	c := &Chrome{T: t, Opts: o, Name: strings.SplitN(t.Name(), "/", 2)[0]}
	if os.Getenv(EnvScreenshots) == "1" {
		_, file, _, _ := runtime.Caller(0)
		c.Shots = filepath.Join(filepath.Dir(file), "..", "..", "testdata", "screens")
		if err := os.MkdirAll(c.Shots, 0o755); err != nil {
			t.Fatalf("screenshots: %v", err)
		}
	}

	var output syncWriter
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, // also hides scrollbars, so widths are the page's own
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-features", "Translate,MediaRouter,OptimizationHints"),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("use-mock-keychain", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.WindowSize(int(o.Width), int(o.Height)),
		chromedp.CombinedOutput(&output),
	)
	ctx, cancelTab := chromedp.NewContext(allocCtx, chromedp.WithListener(c.onEvent))
	t.Cleanup(func() {
		chromedp.Cancel(ctx)
		cancelTab()
		cancelAlloc()
		c.ReportProblems()
	})
	c.Ctx = ctx

	startCtx, cancel := context.WithTimeout(ctx, BrowserTimeout)
	defer cancel()
	viewport := []chromedp.EmulateViewportOption{chromedp.EmulatePortrait}
	if o.Phone {
		viewport = append(viewport, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	// The first Do starts the browser; its life is bound to ctx (no deadline), not to startCtx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v\n%s", path, err, output.String())
	}
	err := chromedp.Do(startCtx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspProbe})
			return err
		}),
		chromedp.EmulateViewport(o.Width, o.Height, viewport...),
	)
	if err != nil {
		t.Fatalf("set up chromium: %v\n%s", err, output.String())
	}
	return c
}

// onEvent runs in the tab's event loop: it only records.
func (c *Chrome) onEvent(ev any) {
	var problem, line string
	switch ev := ev.(type) {
	case *cdpruntime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			switch {
			case a.Description != "":
				parts = append(parts, a.Description)
			case len(a.Value) > 0:
				parts = append(parts, strings.Trim(string(a.Value), `"`))
			default:
				parts = append(parts, string(a.Type))
			}
		}
		line = fmt.Sprintf("console.%s: %s", ev.Type, strings.Join(parts, " "))
		if ev.Type == cdpruntime.ConsoleAPICalledTypeError || ev.Type == cdpruntime.ConsoleAPICalledTypeAssert {
			problem = line
		}
	case *cdpruntime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + d.Exception.Description
		}
		problem = fmt.Sprintf("uncaught exception at %s:%d: %s", d.URL, d.LineNumber+1, text)
		line = problem
	case *cdplog.EventEntryAdded:
		e := ev.Entry
		line = fmt.Sprintf("log %s/%s: %s %s", e.Source, e.Level, e.Text, e.URL)
		if e.Level == cdplog.EntryLevelError || strings.Contains(strings.ToLower(e.Text), "content security policy") {
			problem = line
		}
	default:
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.console = append(c.console, line)
	if problem != "" {
		c.problems = append(c.problems, problem)
	}
}

// ReportProblems fails the test (without stopping it) for every console error, exception, failed
// load or CSP violation recorded since the last call.
func (c *Chrome) ReportProblems() {
	c.T.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range c.problems[c.reported:] {
		c.T.Errorf("browser (%dpx): %s", c.Opts.Width, p)
	}
	c.reported = len(c.problems)
}

// Console is everything the page logged so far (for failure messages).
func (c *Chrome) Console() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.console, "\n")
}

// Do runs steps, each group bounded by BrowserTimeout; on failure it saves a screenshot (when
// enabled), reports what the page logged and stops the test.
func (c *Chrome) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	c.T.Helper()
	ctx, cancel := context.WithTimeout(c.Ctx, BrowserTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		c.failed(what, err)
	}
}

// Eval evaluates a JavaScript expression in the page and decodes its result into T.
func Eval[T any](c *Chrome, expr string) T {
	c.T.Helper()
	ctx, cancel := context.WithTimeout(c.Ctx, BrowserTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		c.failed("evaluate "+expr, err)
	}
	return v
}

func (c *Chrome) failed(what string, err error) {
	c.T.Helper()
	ctx, cancel := context.WithTimeout(c.Ctx, 5*time.Second)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	cancel()
	if c.Shots != "" {
		c.Screenshot("FAILED")
	}
	c.ReportProblems()
	c.T.Fatalf("browser (%dpx) %s: %v\npage: %s\nconsole:\n%s", c.Opts.Width, what, err, loc, c.Console())
}

// WaitFor evaluates a JavaScript expression (a string result) again and again until it is not empty,
// and returns it. Evaluation errors (the page is navigating) count as empty. BrowserTimeout bounds it.
func (c *Chrome) WaitFor(what, expr string) string {
	c.T.Helper()
	ctx, cancel := context.WithTimeout(c.Ctx, BrowserTimeout)
	defer cancel()
	var last error
	for {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
		if err == nil && v != "" {
			return v
		}
		if err != nil {
			last = err
		}
		select {
		case <-ctx.Done():
			c.failed("wait for "+what, fmt.Errorf("%w (last evaluation error: %v)", ctx.Err(), last))
			return ""
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Navigate opens a URL and waits for its load event.
func (c *Chrome) Navigate(url string) {
	c.T.Helper()
	c.Do("navigate to "+url, chromedp.Navigate(url))
}

// Location is the tab's current URL.
func (c *Chrome) Location() string {
	c.T.Helper()
	return Eval[string](c, "location.href")
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// Screenshot saves a full-page PNG as testdata/screens/<test>-<step>-<width>.png when EnvScreenshots=1.
// It also reports any console problem seen so far, so a failure points at the step.
func (c *Chrome) Screenshot(step string) {
	c.T.Helper()
	defer c.ReportProblems()
	if c.Shots == "" {
		return
	}
	ctx, cancel := context.WithTimeout(c.Ctx, BrowserTimeout)
	defer cancel()
	// From the top, so that a sticky header is drawn where it belongs in the full-page image.
	scrollTop := chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0); new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))`, chromedp.EvalAwaitPromise)
	if err := chromedp.Do(ctx, scrollTop); err != nil {
		c.T.Errorf("screenshot %s: %v", step, err)
		return
	}
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		c.T.Errorf("screenshot %s: %v", step, err)
		return
	}
	name := fmt.Sprintf("%s-%s-%d.png", c.Name, unsafeName.ReplaceAllString(step, "_"), c.Opts.Width)
	if err := os.WriteFile(filepath.Join(c.Shots, name), buf, 0o644); err != nil {
		c.T.Errorf("screenshot %s: %v", step, err)
	}
}

// overflowJS measures the page's width and names the elements that stick out on the right.
const overflowJS = `((vw) => {
  const els = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    // The box itself, or its content spilling out of a box that does not clip (text in a <pre>).
    const spills = getComputedStyle(el).overflowX === "visible" && r.left + el.scrollWidth > vw + 0.5;
    if (r.right <= vw + 0.5 && !spills) continue;
    let clipped = false; // inside a scroll box or a clipping box that itself fits
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible" && p.getBoundingClientRect().right <= vw + 0.5) { clipped = true; break; }
    }
    if (!clipped) els.push(el);
  }
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
    (typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "") +
    (el.dataset.testid ? "[data-testid=" + el.dataset.testid + "]" : "") +
    " (right edge " + Math.round(Math.max(el.getBoundingClientRect().right, el.getBoundingClientRect().left + el.scrollWidth)) + "px)";
  const innermost = els.filter((el) => !els.some((o) => o !== el && el.contains(o)));
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    clientWidth: document.documentElement.clientWidth, offenders: innermost.slice(0, 8).map(name)};
})(%d)`

// Overflow is the measurement of AssertNoHorizontalOverflow.
type Overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	ClientWidth int      `json:"clientWidth"`
	Offenders   []string `json:"offenders"`
}

// AssertNoHorizontalOverflow fails the test when the page is wider than the emulated screen
// (document.documentElement.scrollWidth > window.innerWidth, or wider than the configured width:
// a phone zooms out to fit an overflowing page, which inflates innerWidth).
func (c *Chrome) AssertNoHorizontalOverflow(pageName string) {
	c.T.Helper()
	o := Eval[Overflow](c, fmt.Sprintf(overflowJS, c.Opts.Width))
	if o.ScrollWidth > o.InnerWidth || int64(o.ScrollWidth) > c.Opts.Width {
		c.T.Errorf("%s at %dpx: horizontal overflow: scrollWidth %d, innerWidth %d; sticking out: %s",
			pageName, c.Opts.Width, o.ScrollWidth, o.InnerWidth, strings.Join(o.Offenders, ", "))
	}
}

// Rect is an element's box in CSS pixels relative to the viewport.
type Rect struct {
	X, Y, Width, Height float64
}

// BoxOf scrolls the first element matching the CSS selector to the middle of the viewport and returns its box.
func (c *Chrome) BoxOf(selector string) Rect {
	c.T.Helper()
	return Eval[Rect](c, fmt.Sprintf(`(() => {
  const el = document.querySelector(%q);
  if (!el) throw new Error("no element matches " + %q);
  el.scrollIntoView({block: "center", inline: "center", behavior: "instant"});
  const r = el.getBoundingClientRect();
  return {X: r.left, Y: r.top, Width: r.width, Height: r.height};
})()`, selector, selector))
}

// Point is a position inside an element: {x, y} as fractions of its width and height (0..1).
type Point [2]float64

// Draw draws strokes on the element with real input events: touch events (touchStart, touchMove…,
// touchEnd) on a phone, left-button mouse drags on a desktop. Each stroke is a polyline; segments
// are cut into small moves so that every move is past signature_pad's minimum distance and the
// line looks drawn. The pace between moves only imitates a hand; nothing is timed.
func (c *Chrome) Draw(selector string, strokes ...[]Point) {
	c.T.Helper()
	box := c.BoxOf(selector)
	abs := func(p Point) (float64, float64) { return box.X + p[0]*box.Width, box.Y + p[1]*box.Height }
	for i, stroke := range strokes {
		if len(stroke) < 2 {
			c.T.Fatalf("stroke %d needs at least two points", i)
		}
		var path [][2]float64
		x0, y0 := abs(stroke[0])
		path = append(path, [2]float64{x0, y0})
		for _, p := range stroke[1:] {
			x1, y1 := abs(p)
			n := max(1, int(max(abs64(x1-x0), abs64(y1-y0))/8))
			for k := 1; k <= n; k++ {
				f := float64(k) / float64(n)
				path = append(path, [2]float64{x0 + (x1-x0)*f, y0 + (y1-y0)*f})
			}
			x0, y0 = x1, y1
		}
		// Slow down before lifting, as a hand does: a finger that leaves the screen at speed starts a
		// fling, and Chrome then swallows the next tap (it only stops the fling).
		if n := len(path); n >= 2 {
			dx, dy := path[n-1][0]-path[n-2][0], path[n-1][1]-path[n-2][1]
			for _, f := range []float64{0.5, 0.25, 0.12, 0.06, 0.03} {
				last := path[len(path)-1]
				path = append(path, [2]float64{last[0] + dx*f, last[1] + dy*f})
			}
		}
		c.Do(fmt.Sprintf("draw stroke %d on %s", i+1, selector), c.stroke(path))
	}
}

func abs64(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

func (c *Chrome) stroke(path [][2]float64) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		pace := func() { time.Sleep(12 * time.Millisecond) }
		if c.Opts.Phone {
			one, zero := 1.0, 0.0
			touch := func(typ input.DispatchTouchEventType, pts ...*input.TouchPoint) error {
				if pts == nil {
					pts = []*input.TouchPoint{} // touchEnd: no points, sent as [] (null leaves the finger down)
				}
				_, err := cdp.Call(ctx, t, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts})
				return err
			}
			pt := func(p [2]float64) *input.TouchPoint {
				return &input.TouchPoint{X: p[0], Y: p[1], RadiusX: &one, RadiusY: &one, Force: &one, ID: &zero}
			}
			if err := touch(input.DispatchTouchEventTypeTouchStart, pt(path[0])); err != nil {
				return err
			}
			for _, p := range path[1:] {
				pace()
				if err := touch(input.DispatchTouchEventTypeTouchMove, pt(p)); err != nil {
					return err
				}
			}
			return touch(input.DispatchTouchEventTypeTouchEnd)
		}
		mouse := func(typ input.DispatchMouseEventType, p [2]float64, buttons int64) error {
			params := input.DispatchMouseEventParams{Type: typ, X: p[0], Y: p[1], Button: input.MouseButtonLeft, Buttons: buttons}
			if typ != input.DispatchMouseEventTypeMouseMoved {
				params.ClickCount = 1
			}
			_, err := cdp.Call(ctx, t, input.DispatchMouseEvent, params)
			return err
		}
		if err := mouse(input.DispatchMouseEventTypeMouseMoved, path[0], 0); err != nil {
			return err
		}
		if err := mouse(input.DispatchMouseEventTypeMousePressed, path[0], 1); err != nil {
			return err
		}
		for _, p := range path[1:] {
			pace()
			if err := mouse(input.DispatchMouseEventTypeMouseMoved, p, 1); err != nil {
				return err
			}
		}
		return mouse(input.DispatchMouseEventTypeMouseReleased, path[len(path)-1], 0)
	})
}

// syncWriter collects the browser's output for a failure message.
type syncWriter struct {
	mu sync.Mutex
	b  strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b.Len() < 64<<10 {
		w.b.Write(p)
	}
	return len(p), nil
}

func (w *syncWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}
