package web_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"

	"signet/internal/testapp"
)

// A PDF chosen before the lazily imported upload.js has run (a slow network, a loaded machine)
// is taken by upload.js when it starts: shown, checked, and uploaded. The module's request is
// held until the file has been chosen.
func TestBrowserUploadTakesAFileChosenBeforeUploadJSRan(t *testing.T) {
	app := testapp.New(t)
	b := testapp.NewChrome(t, browserDesktop)
	pdfPath, err := filepath.Abs(filepath.Join("..", "pdf", "testdata", "in-10.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	paused := make(chan fetch.RequestID, 1)
	if err := chromedp.Listen(b.Ctx, func(ev any) {
		if e, ok := ev.(*fetch.EventRequestPaused); ok {
			select {
			case paused <- e.RequestID:
			default: // only the first request is held; the listener must never block
			}
		}
	}); err != nil {
		t.Fatal(err)
	}
	b.Do("hold upload.js", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/static/js/upload.*"}}})
		return err
	}))

	browserSignUp(b, app, "alice@example.com") // lands on New document, whose upload.js is now held
	var held fetch.RequestID
	select {
	case held = <-paused:
	case <-time.After(testapp.BrowserTimeout):
		t.Fatal("the new-document page never asked for upload.js")
	}
	if testapp.Eval[bool](b, `!!document.querySelector('[data-dropzone][data-enhanced]')`) {
		t.Fatal("the drop zone is marked enhanced while upload.js is held")
	}
	b.Do("choose the PDF before upload.js runs", chromedp.SetUploadFiles(chromedp.CSS(`input[name="file"]`), []string{pdfPath}))
	b.Do("release upload.js", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		if _, err := cdp.Call(ctx, tg, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: held}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{})
		return err
	}), chromedp.WaitVisible(chromedp.CSS(`[data-dropzone][data-enhanced="true"]`)))

	b.Do("the chosen file is taken", chromedp.WaitVisible(chromedp.CSS(`[data-dropzone-file]`)))
	if got := browserText(b, `[data-dropzone-file]`); !strings.Contains(got, "in-10.pdf") {
		t.Errorf("the drop zone shows %q, want the file chosen before upload.js ran", got)
	}
	if got := testapp.Eval[string](b, `document.getElementById("title").value`); got != "in-10" {
		t.Errorf("the title was filled with %q, want in-10", got)
	}
	b.Do("fill the signer", chromedp.SendKeys(chromedp.ID("r0-name"), "Jane Doe"), chromedp.SendKeys(chromedp.ID("r0-email"), "jane@example.com"))
	b.Do("upload and send", browserPress(b, `[data-testid="send"]`))
	if state := b.WaitFor("the document page or an upload error", browserUploadOutcome); state != "document" {
		t.Fatalf("the upload of the file chosen early did not lead to the document page: %s", state)
	}
}
