package web_test

// Real-browser tests (DESIGN §7): headless Chromium through chromedp, at phone (390×844, touch) and
// desktop (1280×800) sizes. Without Chromium they skip loudly (SIGNET_REQUIRE_BROWSER=1 fails
// instead); SIGNET_SCREENSHOTS=1 saves every step to testdata/screens/<test>-<step>-<width>.png.
// Every page is checked for console errors, uncaught exceptions, failed loads and CSP violations.

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"signet/internal/testapp"
	"signet/models"
	"signet/notify/smtptest"
)

var (
	browserPhone   = testapp.ChromeOptions{Width: 390, Height: 844, Phone: true}
	browserDesktop = testapp.ChromeOptions{Width: 1280, Height: 800}
)

// browserPress activates a button or link the way the screen's user would: a tap on the phone, a click on the desktop.
func browserPress(b *testapp.Chrome, selector string) chromedp.Action[chromedp.Void] {
	if b.Opts.Phone {
		return chromedp.Tap(chromedp.CSS(selector))
	}
	return chromedp.Click(chromedp.CSS(selector))
}

func browserText(b *testapp.Chrome, selector string) string {
	b.T.Helper()
	return testapp.Eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {innerText: ""}).innerText.trim()`, selector))
}

// browserCheckPage is what every page gets: the overflow check and a screenshot.
func browserCheckPage(b *testapp.Chrome, step string) {
	b.T.Helper()
	b.AssertNoHorizontalOverflow(step)
	b.Screenshot(step)
}

func TestBrowserSignerPathOnPhone(t *testing.T)   { browserSignerPath(t, browserPhone) }
func TestBrowserSignerPathOnDesktop(t *testing.T) { browserSignerPath(t, browserDesktop) }

// browserSignerPath: invitation link → "Send verification code" → emailed code → PDF shown → signature
// drawn with real touch (phone) or mouse (desktop) input → done page → signed PDF offered.
func browserSignerPath(t *testing.T, screen testapp.ChromeOptions) {
	app := testapp.New(t)
	b := testapp.NewChrome(t, screen) // after the app: closes before it
	sender := app.NewSender("alice@example.com")
	const email = "jane@example.com"
	doc := app.CreateDocument(sender.APIKey, true, email)

	invitation := app.SMTP.WaitFor(t, toAndSubject(email, "to sign"))
	link := smtptest.ExtractLink(invitation.Text, app.URL+"/s/")
	if link == "" {
		t.Fatalf("no signing link in the invitation %q", invitation.Text)
	}

	// Landing: the public contract's button, and nothing sent yet.
	b.Navigate(link)
	const sendButton = `form[data-testid="send-code-form"] button[type="submit"]`
	b.Do("landing page", chromedp.WaitVisible(chromedp.CSS(sendButton)))
	if got := browserText(b, sendButton); got != "Send verification code" {
		t.Errorf("landing button reads %q, want %q", got, "Send verification code")
	}
	if got := browserText(b, `[data-testid="document-title"]`); got != "Test agreement" {
		t.Errorf("landing shows the title %q", got)
	}
	browserCheckPage(b, "1-landing")
	if n := len(app.CodeMails(email)); n != 0 {
		t.Fatalf("opening the link sent %d codes; it must send nothing", n)
	}

	// Send the code; the verify page has the input named code.
	b.Do("send the code", browserPress(b, sendButton), chromedp.WaitVisible(chromedp.CSS(`input[name="code"]`)))
	browserCheckPage(b, "2-verify")
	code := app.WaitForCode(email, 1)
	b.Do("enter the code",
		chromedp.SendKeys(chromedp.CSS(`input[name="code"]`), code),
		browserPress(b, `form[data-testid="verify-form"] button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-pdf-viewer][data-pdf-state="loaded"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.pdf-page[data-rendered] canvas`)),
		chromedp.WaitVisible(chromedp.CSS(`form[data-signature-ready] canvas[data-signature-pad]`)),
	)
	// The first page's canvas holds a drawn page, not a blank box.
	inked := testapp.Eval[int](b, `(() => {
  const c = document.querySelector(".pdf-page[data-rendered] canvas");
  const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 0; i < d.length; i += 4) if (d[i+3] > 0 && (d[i] < 200 || d[i+1] < 200 || d[i+2] < 200)) n++;
  return n;
})()`)
	if inked < 100 {
		t.Errorf("the rendered first page has only %d dark pixels: the PDF was not drawn", inked)
	}
	pages := testapp.Eval[int](b, `document.querySelectorAll("[data-pdf-viewer] .pdf-page").length`)
	if pages != 10 {
		t.Errorf("the viewer shows %d pages, want the document's 10", pages)
	}
	padWidth := testapp.Eval[float64](b, `document.querySelector("canvas[data-signature-pad]").getBoundingClientRect().width`)
	if screen.Phone && padWidth < 300 {
		t.Errorf("the signature canvas is %.0f px wide on the phone, want at least 300", padWidth)
	}
	b.AssertNoHorizontalOverflow("document page")
	b.Screenshot("3-document")
	// Pages render lazily: each one must render once it is scrolled to.
	for i := range pages {
		b.WaitFor(fmt.Sprintf("page %d to render when scrolled to", i+1), fmt.Sprintf(`(() => {
  const p = document.querySelectorAll("[data-pdf-viewer] .pdf-page")[%d];
  p.scrollIntoView({block: "center", behavior: "instant"});
  return p.hasAttribute("data-rendered") && p.querySelector("canvas") ? "rendered" : "";
})()`, i))
	}

	// Draw mode (the default with JavaScript); pick it if needed, then draw four strokes.
	if !testapp.Eval[bool](b, `document.querySelector('input[name="signature_mode"][value="draw"]').checked`) {
		b.Do("choose Draw", browserPress(b, `[data-signature-modes] label:first-of-type`))
	}
	b.Do("draw mode", chromedp.WaitVisible(chromedp.CSS(`[data-signature-draw]`)), chromedp.WaitNotVisible(chromedp.CSS(`[data-signature-type]`)))
	b.Draw(`canvas[data-signature-pad]`,
		[]testapp.Point{{0.12, 0.30}, {0.14, 0.62}, {0.10, 0.74}, {0.05, 0.66}},               // J
		[]testapp.Point{{0.22, 0.60}, {0.30, 0.38}, {0.36, 0.62}, {0.42, 0.40}, {0.50, 0.64}}, // wave
		[]testapp.Point{{0.55, 0.55}, {0.62, 0.35}, {0.70, 0.60}, {0.78, 0.36}, {0.88, 0.58}}, // wave
		[]testapp.Point{{0.08, 0.82}, {0.50, 0.78}, {0.92, 0.80}},                             // underline
	)
	if !testapp.Eval[bool](b, `document.querySelector("canvas[data-signature-pad]").classList.contains("has-signature")`) {
		t.Fatalf("signature_pad saw no stroke from the %s input\nconsole:\n%s", map[bool]string{true: "touch", false: "mouse"}[screen.Phone], b.Console())
	}
	b.Screenshot("4-drawn")

	b.Do("sign", browserPress(b, `[data-testid="sign"]`), chromedp.WaitVisible(chromedp.CSS(`[data-testid="done"]`)))
	browserCheckPage(b, "5-done")
	// The done page polls (htmx, every 2 s) until the finalisation job has run.
	b.Do("wait for the signed PDF", chromedp.WaitVisible(chromedp.CSS(`[data-testid="download-signed"]`)))
	browserCheckPage(b, "6-completed")

	r, err := app.Store.RecipientByID(t.Context(), doc.Recipient(t, email).ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != models.RecipientSigned {
		t.Errorf("recipient status %q, want signed", r.Status)
	}
	if len(r.SignatureImage) == 0 {
		t.Fatal("the recipient has no SignatureImage: the drawn signature was not posted (typed name used instead?)")
	}
	img, err := png.Decode(bytes.NewReader(r.SignatureImage))
	if err != nil {
		t.Fatalf("SignatureImage is not a PNG: %v", err)
	}
	if ink := browserInk(img); ink < 200 {
		t.Errorf("the signature PNG (%v) has only %d opaque pixels: nothing drawn", img.Bounds().Size(), ink)
	}
	if sz := img.Bounds().Size(); sz.X <= sz.Y {
		t.Errorf("the signature PNG is %v; the strokes are wider than tall, so cropping went wrong", sz)
	}
}

func browserInk(img image.Image) int {
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a > 0x8000 {
				n++
			}
		}
	}
	return n
}

// browserSignUp fills the sign-up form; the new sender lands on New document.
func browserSignUp(b *testapp.Chrome, app *testapp.App, email string) {
	b.T.Helper()
	b.Navigate(app.URL + "/signup")
	b.Do("sign-up form", chromedp.WaitVisible(chromedp.CSS(`form[data-testid="signup-form"]`)))
	browserCheckPage(b, "0-signup")
	b.Do("sign up",
		chromedp.SendKeys(chromedp.ID("name"), "Alice Sender"),
		chromedp.SendKeys(chromedp.ID("organization"), "Acme Ltd"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), "a sufficiently long password"),
		browserPress(b, `form[data-testid="signup-form"] button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="check-email"]`)),
	)
	browserCheckPage(b, "0-check-email")
	b.Navigate(browserConfirmationLink(b.T, app, email))
	b.Do("confirm the email address",
		chromedp.WaitVisible(chromedp.CSS(`form[data-testid="confirm-form"]`)),
		chromedp.SendKeys(chromedp.ID("password"), "a sufficiently long password"),
		browserPress(b, `form[data-testid="confirm-form"] button[type="submit"]`),
		chromedp.WaitVisible(chromedp.CSS(`form[data-testid="new-document-form"]`)),
	)
	if loc := b.Location(); loc != app.URL+"/documents/new" {
		b.T.Errorf("after sign-up the sender is at %s, want /documents/new", loc)
	}
}

// browserConfirmationLink is the link of the confirmation email: from the SMTP server, or from
// the server log when the dev mailbox keeps the mail.
func browserConfirmationLink(t testing.TB, app *testapp.App, email string) string {
	t.Helper()
	if app.SMTP != nil {
		return app.ConfirmationLink(email)
	}
	var link string
	testapp.Eventually(t, "the confirmation link in the server log", func() bool {
		link = smtptest.ExtractLink(app.Logs.String(), app.URL+"/confirm?token=")
		return link != ""
	})
	return link
}

// browserUploadAndSend uploads pdf/testdata/in-10.pdf through the file input for one signer and waits for the document page.
func browserUploadAndSend(b *testapp.Chrome, signerName, signerEmail string) {
	b.T.Helper()
	pdfPath, err := filepath.Abs(filepath.Join("..", "pdf", "testdata", "in-10.pdf"))
	if err != nil {
		b.T.Fatal(err)
	}
	b.Do("choose the PDF",
		chromedp.WaitVisible(chromedp.CSS(`[data-dropzone][data-enhanced="true"]`)), // upload.js is imported lazily
		chromedp.SetUploadFiles(chromedp.CSS(`input[name="file"]`), []string{pdfPath}),
		chromedp.WaitVisible(chromedp.CSS(`[data-dropzone-file]`)),
	)
	if got := browserText(b, `[data-dropzone-file]`); !strings.Contains(got, "in-10.pdf") {
		b.T.Errorf("the dropzone shows %q, want the chosen file's name", got)
	}
	if got := testapp.Eval[string](b, `document.getElementById("title").value`); got != "in-10" {
		b.T.Errorf("the title was filled with %q, want the file name in-10", got)
	}
	b.Do("fill the signer",
		chromedp.SendKeys(chromedp.ID("r0-name"), signerName),
		chromedp.SendKeys(chromedp.ID("r0-email"), signerEmail),
	)
	browserCheckPage(b, "2-new-document-filled")
	b.Do("upload and send", browserPress(b, `[data-testid="send"]`))
	if state := b.WaitFor("the document page or an upload error", browserUploadOutcome); state != "document" {
		b.T.Errorf("Upload and send (upload.js, XHR) did not lead to the document page: %s", state)
		b.Screenshot("2-upload-failed")
		// Check the pages that follow all the same: the same form submitted natively, as without JavaScript.
		b.Navigate(testapp.Eval[string](b, "location.origin") + "/documents/new")
		b.Do("the form again, without upload.js",
			chromedp.SetUploadFiles(chromedp.CSS(`input[name="file"]`), []string{pdfPath}),
			chromedp.SendKeys(chromedp.ID("r0-name"), signerName),
			chromedp.SendKeys(chromedp.ID("r0-email"), signerEmail),
			chromedp.Evaluate[chromedp.Void](`(() => {
  const f = document.querySelector('form[data-testid="new-document-form"]');
  const send = f.querySelector('[data-testid="send"]'), i = document.createElement("input");
  i.type = "hidden"; i.name = send.name; i.value = send.value;
  f.append(i);
  HTMLFormElement.prototype.submit.call(f);
})()`),
		)
		if state := b.WaitFor("the document page after a native submission", browserUploadOutcome); state != "document" {
			b.T.Fatalf("even a native submission of the upload form did not lead to the document page: %s", state)
		}
	}
	b.Do("document page", chromedp.WaitVisible(chromedp.CSS(`[data-testid="recipients"] [data-testid="copy-link"]`)))
	if got := browserText(b, `[data-testid="copy-link"]`); got != "Copy signing link" {
		b.T.Errorf("the copy button reads %q", got)
	}
	if got := browserText(b, `[data-testid="recipient"]`); !strings.Contains(got, signerEmail) || !strings.Contains(got, signerName) {
		b.T.Errorf("the recipient row reads %q, want %s <%s>", got, signerName, signerEmail)
	}
	if got := browserText(b, `.page-header [data-testid="status"]`); got == "" {
		b.T.Error("the document page shows no status")
	}
}

// browserUploadOutcome is "document" on the sender's document page (copy button shown by copy.js), an
// error description when the upload failed, "" while it is still going on.
const browserUploadOutcome = `(() => {
  if (document.querySelector('[data-testid="recipients"]')) {
    const copy = document.querySelector('[data-testid="recipients"] [data-testid="copy-link"]');
    return copy && !copy.hidden ? "document" : ""; // copy.js shows the button
  }
  const err = document.querySelector("[data-upload-error]:not([hidden])");
  if (err && err.textContent.trim()) return "upload error shown: " + err.textContent.trim();
  const fieldErr = document.querySelector('form[data-testid="new-document-form"] .field-error[role="alert"]');
  if (fieldErr && fieldErr.textContent.trim()) return "form error shown: " + fieldErr.textContent.trim();
  if (!document.querySelector('form[data-testid="new-document-form"]') && document.readyState === "complete")
    return "another page at " + location.pathname + ": " + document.body.innerText.trim().replace(/\s+/g, " ").slice(0, 200);
  return "";
})()`

// The sender's pages, on a desktop and on a phone: sign up, upload and send, document page,
// dashboard, API keys (create one), log out and in again. No page may be wider than the phone.
func TestBrowserSenderPagesDesktopAndPhone(t *testing.T) {
	for _, screen := range []testapp.ChromeOptions{browserDesktop, browserPhone} {
		t.Run(strconv.Itoa(int(screen.Width)), func(t *testing.T) {
			app := testapp.New(t)
			b := testapp.NewChrome(t, screen)
			browserSignUp(b, app, "alice@example.com")
			browserCheckPage(b, "1-new-document")
			browserUploadAndSend(b, "Jane Doe", "jane@example.com")
			browserCheckPage(b, "3-document")
			app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))

			// Dashboard, through the navigation.
			b.Do("dashboard",
				browserPress(b, `.topnav-links a[href="/documents"]`),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="documents"] [data-testid="document-row"]`)),
			)
			if got := browserText(b, `[data-testid="document-row"]`); !strings.Contains(got, "in-10") {
				t.Errorf("the dashboard row reads %q, want the document in-10", got)
			}
			if got := browserText(b, `[data-testid="count-sent"] .stat-value`); got != "1" {
				t.Errorf("the dashboard counts %q sent documents, want 1", got)
			}
			browserCheckPage(b, "4-dashboard")

			// API keys: create one, shown once.
			b.Do("API keys",
				browserPress(b, `.topnav-links a[href="/settings/api-keys"]`),
				chromedp.WaitVisible(chromedp.CSS(`#key-name`)),
			)
			browserCheckPage(b, "5-api-keys")
			b.Do("create a key",
				chromedp.SendKeys(chromedp.ID("key-name"), "CRM integration"),
				browserPress(b, `form[action="/settings/api-keys"] button[type="submit"]`),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-key"] code.key`)),
			)
			if key := browserText(b, `[data-testid="new-key"] code.key`); len(key) < 20 {
				t.Errorf("the new key reads %q", key)
			}
			if got := browserText(b, `[data-testid="api-keys"] tbody`); !strings.Contains(got, "CRM integration") {
				t.Errorf("the key table lacks the new key: %q", got)
			}
			browserCheckPage(b, "6-api-key-created")

			// Log out, and in again through the form.
			b.Do("log out",
				browserPress(b, `.topnav-user form[action="/logout"] button`),
				chromedp.WaitVisible(chromedp.CSS(`form[data-testid="login-form"]`)),
			)
			browserCheckPage(b, "7-login")
			b.Do("log in",
				chromedp.SendKeys(chromedp.ID("email"), "alice@example.com"),
				chromedp.SendKeys(chromedp.ID("password"), "a sufficiently long password"),
				browserPress(b, `form[data-testid="login-form"] button[type="submit"]`),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="document-row"]`)),
			)
			browserCheckPage(b, "8-dashboard-after-login")
		})
	}
}

// Without SMTP the dev mailbox keeps the mail: every sender page says so, and the mailbox lists
// the invitation with a working link.
func TestBrowserSenderDevMailbox(t *testing.T) {
	for _, screen := range []testapp.ChromeOptions{browserDesktop, browserPhone} {
		t.Run(strconv.Itoa(int(screen.Width)), func(t *testing.T) {
			app := testapp.New(t, testapp.Options{DevMailbox: true})
			b := testapp.NewChrome(t, screen)
			browserSignUp(b, app, "alice@example.com")
			b.Do("banner", chromedp.WaitVisible(chromedp.CSS(`[data-testid="dev-mailbox-banner"]`)))
			browserCheckPage(b, "1-new-document-banner")
			browserUploadAndSend(b, "Jane Doe", "jane@example.com")
			b.Do("banner on the document page", chromedp.WaitVisible(chromedp.CSS(`[data-testid="dev-mailbox-banner"]`)))

			b.Do("dev mailbox",
				browserPress(b, `[data-testid="dev-mailbox-banner"] a[href="/dev/mailbox"]`),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="mail"]`)),
			)
			if got := browserText(b, `.topnav-links [aria-current="page"]`); got != "Dev mailbox" {
				t.Errorf("the current navigation entry is %q, want Dev mailbox", got)
			}
			mails := testapp.Eval[[]string](b, `[...document.querySelectorAll('article[data-testid="mail"]')].map(m => m.innerText)`)
			invitation := -1
			for i, m := range mails {
				if strings.Contains(m, "jane@example.com") && strings.Contains(m, "to sign") {
					invitation = i
				}
			}
			if invitation < 0 {
				t.Fatalf("the dev mailbox does not list the invitation to jane@example.com: %q", mails)
			}
			browserCheckPage(b, "2-mailbox")

			// The invitation's button opens the signer's landing page.
			b.Do("open the invitation link",
				browserPress(b, fmt.Sprintf(`article[data-testid="mail"]:nth-of-type(%d) [data-testid="mail-link"]`, invitation+1)),
				chromedp.WaitVisible(chromedp.CSS(`form[data-testid="send-code-form"]`)),
			)
			browserCheckPage(b, "3-signer-landing")
		})
	}
}
