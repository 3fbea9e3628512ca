package web_test

import (
	"errors"
	"maps"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"signet/config"
	"signet/internal/hostilepdf"
	"signet/internal/testapp"
)

// hostileApp is a Signet whose intake gives up after 2 s, so each hostile file costs the test little.
func hostileApp(t *testing.T, change func(*config.Config)) *testapp.App {
	return testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.PDFTimeout = 2 * time.Second
		c.PDFWorkerMemory = 1 << 30
		if change != nil {
			change(c)
		}
	}})
}

// idleCost remembers, per app, the CPU its background work (job polling, the SMTP server) costs in a second.
var idleCost sync.Map

func idleCPU(t *testing.T, app *testapp.App) time.Duration {
	if d, ok := idleCost.Load(app); ok {
		return d.(time.Duration)
	}
	d := cpuOverASecond()
	idleCost.Store(app, d)
	return d
}

func cpuOverASecond() time.Duration {
	start := cpuTime()
	time.Sleep(time.Second)
	return cpuTime() - start
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// requireNothingLeft checks what a hostile upload must leave behind: every child it ended is gone and stayed
// under its memory cap, the server (this process) is idle in the next second, and /healthz answers 200.
func requireNothingLeft(t *testing.T, app *testapp.App, name string, exitsBefore int) {
	t.Helper()
	for _, e := range app.PDF.Exits()[exitsBefore:] {
		if err := syscall.Kill(e.Pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("%s: child %d (%s) is still there", name, e.Pid, e.Reason)
		}
		if e.MaxRSS <= 0 || e.MaxRSS > app.PDF.MemoryLimit() {
			t.Errorf("%s: child %d peaked at %d bytes, over the cap of %d", name, e.Pid, e.MaxRSS, app.PDF.MemoryLimit())
		}
	}
	if used, idle := cpuOverASecond(), idleCPU(t, app); used > idle*3/2+300*time.Millisecond {
		t.Errorf("%s: the server used %s of CPU in the second after answering; idle it uses %s", name, used, idle)
	}
	if res := app.NewBrowser().Get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("%s: /healthz answered %d", name, res.StatusCode)
	}
}

// Hostile PDFs through the API and the web form: each is answered within the timeout, refused with 422 and a
// message a person understands (or, for the kinds pdfcpu walks cheaply, accepted), and leaves no work behind.
func TestHostileUploadsAreRefusedWithinTheTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("each hostile file costs up to the 2 s timeout")
	}
	app := hostileApp(t, func(c *config.Config) { c.UploadsPerAccount = 10 })
	idleCPU(t, app)
	sender := app.NewSender("alice@example.com")
	browser := app.Login(sender)
	// a file pdfcpu rejects is "damaged"; one that runs out of time or memory in the child is "too complex"
	const tooComplex = `Checking the PDF took too long or needed too much memory, so it was refused; save it again (for example with "Print to PDF") and upload that copy.`
	refusals := map[string]bool{"The PDF is damaged or cannot be read.": true, tooComplex: true}
	saidTooComplex := false
	type hostile struct {
		name       string
		data       []byte
		mustRefuse bool // false: pdfcpu may find it cheap enough on this machine
	}
	var files []hostile
	for _, kind := range hostilepdf.Kinds {
		biting := kind != "xobject" && kind != "acroform" // pdfcpu visits these once per object
		files = append(files, hostile{kind + " depth 16", hostilepdf.DAG(kind, 16), false}, hostile{kind + " depth 40", hostilepdf.DAG(kind, 40), biting})
	}
	files = append(files, hostile{"1.5 million strings on a line", hostilepdf.ManyStrings(1_500_000), true},
		hostile{"flate bomb", hostilepdf.FlateBomb(1024), false})
	refused := 0
	for i, f := range files {
		exits := len(app.PDF.Exits())
		before, blobsBefore := countStoredRows(t, app), len(blobFiles(t, app))
		var status int
		if i%2 == 0 { // the API
			ct, body := multipartBody(jsonString(requestWith(map[string]any{"send": false})), "hostile.pdf", f.data)
			res, raw, e := apiSend(t, app, sender.APIKey, ct, body)
			status = res.StatusCode
			saidTooComplex = saidTooComplex || (e.Error != nil && e.Error.Message == tooComplex)
			if status == http.StatusUnprocessableEntity && (e.Error == nil || e.Error.Code != "invalid" || !refusals[e.Error.Message]) {
				t.Errorf("%s via the API: 422 with %s", f.name, truncateForLog(raw))
			}
		} else { // the web form
			fields := uploadFields()
			fields.Set("intent", "draft")
			res := browser.PostMultipart("/documents", fields, "hostile.pdf", f.data)
			status = res.StatusCode
			saidTooComplex = saidTooComplex || res.Doc(t).Find(fieldErrors).Text() == tooComplex
			if status == http.StatusUnprocessableEntity && !refusals[res.Doc(t).Find(fieldErrors).Text()] {
				t.Errorf("%s via the form: 422 with the messages %q", f.name, res.Doc(t).Find(fieldErrors).Text())
			}
			if status == http.StatusSeeOther {
				status = http.StatusCreated
			}
		}
		switch {
		case status == http.StatusUnprocessableEntity:
			refused++
			if after := countStoredRows(t, app); len(blobFiles(t, app)) != blobsBefore || !maps.Equal(after, before) {
				t.Errorf("%s: the refusal stored something: rows %v → %v, %d blobs → %d", f.name, before, after, blobsBefore, len(blobFiles(t, app)))
			}
		case status == http.StatusCreated && !f.mustRefuse:
		default:
			t.Errorf("%s: status %d", f.name, status)
		}
		requireNothingLeft(t, app, f.name, exits)
	}
	if refused < 5 {
		t.Errorf("only %d of %d hostile files were refused", refused, len(files))
	}
	if !saidTooComplex {
		t.Error("no refusal told the sender the file was too complex to check")
	}
	// the pool still serves a normal upload
	ct, body := multipartBody(jsonString(requestWith(map[string]any{"send": false})), "a.pdf", testapp.Fixture(t, "in-10.pdf"))
	if res, raw, _ := apiSend(t, app, sender.APIKey, ct, body); res.StatusCode != http.StatusCreated {
		t.Fatalf("a normal upload after the hostile ones: %d %s", res.StatusCode, truncateForLog(raw))
	}
}

// One account may have two uploads in checking; a third waits its turn with 429 and Retry-After, other
// accounts are not affected, and the slot frees when the check ends.
func TestUploadsPerAccountAreLimited(t *testing.T) {
	app := hostileApp(t, func(c *config.Config) { c.UploadsPerAccount = 2; c.PDFWorkers = 3 })
	alice, bob := app.NewSender("alice@example.com"), app.NewSender("bob@example.com")
	slow := hostilepdf.DAG("nametree", 40)
	done := make(chan int, 2)
	for range 2 {
		go func() {
			ct, body := multipartBody(jsonString(requestWith(map[string]any{"send": false})), "slow.pdf", slow)
			res, _, _ := apiSend(t, app, alice.APIKey, ct, body)
			done <- res.StatusCode
		}()
	}
	testapp.Eventually(t, "two uploads in checking", func() bool { return app.Signing.UploadsInFlight(alice.User.OrganizationID) == 2 })
	good := testapp.Fixture(t, "in-10.pdf")

	ct, body := multipartBody(jsonString(requestWith(map[string]any{"send": false})), "a.pdf", good)
	res, raw, e := apiSend(t, app, alice.APIKey, ct, body)
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") != "10" || e.Error == nil || e.Error.Code != "rate_limited" ||
		!strings.Contains(e.Error.Message, "already has 2 uploads being checked") {
		t.Fatalf("a third upload via the API: %d, Retry-After %q, %s", res.StatusCode, res.Header.Get("Retry-After"), truncateForLog(raw))
	}
	fields := uploadFields()
	fields.Set("intent", "draft")
	page := app.Login(alice).PostMultipart("/documents", fields, "a.pdf", good)
	if page.StatusCode != http.StatusTooManyRequests || page.Header.Get("Retry-After") != "10" ||
		!strings.Contains(page.Doc(t).Find(fieldErrors).Text(), "Wait until they finish") ||
		page.Doc(t).Find(`input[name="recipients[0].email"]`).AttrOr("value", "") != "jane@example.com" {
		t.Fatalf("a third upload via the form: %d, Retry-After %q, messages %q", page.StatusCode, page.Header.Get("Retry-After"), page.Doc(t).Find(fieldErrors).Text())
	}
	if res, raw, _ := apiSend(t, app, bob.APIKey, ct, body); res.StatusCode != http.StatusCreated {
		t.Fatalf("another account meanwhile: %d %s", res.StatusCode, truncateForLog(raw))
	}
	for range 2 {
		if s := <-done; s != http.StatusUnprocessableEntity {
			t.Fatalf("a slow upload: %d, want 422", s)
		}
	}
	if n := app.Signing.UploadsInFlight(alice.User.OrganizationID); n != 0 {
		t.Fatalf("%d uploads still counted after both answered", n)
	}
	if res, raw, _ := apiSend(t, app, alice.APIKey, ct, body); res.StatusCode != http.StatusCreated {
		t.Fatalf("an upload after the slots freed: %d %s", res.StatusCode, truncateForLog(raw))
	}
}

// A finalisation that overruns its timeout kills its child, is recorded as failed for the sender to see
// (retrying would only cost the same again), and the document stays unsealed in progress.
func TestFinalizeTimeoutIsRecordedAndKillsTheChild(t *testing.T) {
	app := hostileApp(t, func(c *config.Config) { c.PDFFinalizeTimeout = time.Millisecond })
	idleCPU(t, app)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipient(t, "jane@example.com")
	exits := len(app.PDF.Exits())
	signer := app.NewBrowser()
	signer.Verify(jane.Link, jane.Email)
	if res := signer.PostForm(jane.Link+"/sign", map[string][]string{"typed_name": {"Jane"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: status %d", res.StatusCode)
	}
	testapp.Eventually(t, "the failure to be recorded", func() bool {
		events, _ := app.Store.AuditEvents(t.Context(), doc.ID)
		return events[len(events)-1].Event == "finalize_failed"
	})
	events, _ := app.Store.AuditEvents(t.Context(), doc.ID)
	if d := events[len(events)-1].Details; !strings.Contains(d, "took too long") {
		t.Errorf("the recorded failure says %q", d)
	}
	var timeouts int
	for _, e := range app.PDF.Exits()[exits:] {
		if e.Reason == "timeout" {
			timeouts++
		}
	}
	if timeouts != 1 {
		t.Fatalf("children ended by the finalisation timeout: %d (%+v), want 1 (no retries)", timeouts, app.PDF.Exits()[exits:])
	}
	requireNothingLeft(t, app, "finalize timeout", exits)
}
