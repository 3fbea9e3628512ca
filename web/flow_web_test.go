package web_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"signet/internal/qpdfcheck"
	"signet/internal/testapp"
	"signet/models"
	"signet/notify/smtptest"
	"signet/pdf"
)

// pngDataURL is what signature_pad posts: the committed sig.png as a data URL.
func pngDataURL(t *testing.T) string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(testapp.Fixture(t, "sig.png"))
}

// webRecipient is one recipient row of the sender's document page.
type webRecipient struct {
	Text, Round, Status, CopyURL string
	HasCopy                      bool
}

// recipientRows reads the recipient list of the sender's document page, keyed by the emails asked for.
func recipientRows(t *testing.T, doc *goquery.Document, emails ...string) map[string]webRecipient {
	t.Helper()
	rows := map[string]webRecipient{}
	doc.Find(`[data-testid="recipients"] [data-testid="recipient"]`).Each(func(_ int, s *goquery.Selection) {
		for _, email := range emails {
			if !strings.Contains(s.Text(), email) {
				continue
			}
			if _, dup := rows[email]; dup {
				t.Errorf("two rows for %s", email)
			}
			copyBtn := s.Find(`[data-testid="copy-link"]`)
			u, ok := copyBtn.Attr("data-copy")
			rows[email] = webRecipient{Text: s.Text(), Round: strings.TrimSpace(s.Find(`td[data-label="Round"]`).Text()), Status: strings.TrimSpace(s.Find(`[data-testid="status"]`).Text()),
				CopyURL: u, HasCopy: ok && strings.TrimSpace(copyBtn.Text()) == "Copy signing link"}
		}
	})
	return rows
}

// documentStatus is the document's own status badge on the sender's page (not a recipient's).
func documentStatus(doc *goquery.Document) string {
	return strings.TrimSpace(doc.Find(`[data-testid="status"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Closest(`[data-testid="recipients"]`).Length() == 0
	}).First().Text())
}

var leadingNumber = regexp.MustCompile(`^\s*(\d+)`)

// dashboardCount is the number shown on a dashboard's status tile.
func dashboardCount(doc *goquery.Document, status string) string {
	m := leadingNumber.FindStringSubmatch(doc.Find(`[data-testid="count-` + status + `"]`).Text())
	if m == nil {
		return ""
	}
	return m[1]
}

// pendingJobs counts River jobs that have not finished yet.
func pendingJobs(t *testing.T, app *testapp.App) int64 {
	t.Helper()
	var n int64
	if err := app.DB.Table("river_job").Where("state NOT IN ?", []string{"completed", "discarded", "cancelled"}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func mailsTo(app *testapp.App, to string) []smtptest.Mail {
	var out []smtptest.Mail
	for _, m := range app.SMTP.Messages() {
		for _, r := range m.To {
			if r == to {
				out = append(out, m)
			}
		}
	}
	return out
}

// waitForCompletion waits for done; if it never comes, it reports the document's status and the jobs' states and errors.
func waitForCompletion(t *testing.T, app *testapp.App, docID string, done func() bool) {
	t.Helper()
	deadline := time.Now().Add(testapp.WaitTimeout)
	for !done() {
		if time.Now().After(deadline) {
			var jobs []struct{ Kind, State, Errors string }
			app.DB.Table("river_job").Select("kind, state, COALESCE(CAST(errors AS TEXT), '') AS errors").Find(&jobs)
			d, err := app.Store.DocumentByID(t.Context(), docID)
			status := ""
			if err == nil {
				status = d.Status
			}
			t.Fatalf("gave up waiting for document %s to complete: status %q (%v); jobs %+v", docID, status, err, jobs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var documentPath = regexp.MustCompile(`^/documents/([0-9a-f-]{36})$`)

// The whole job through the sender's pages: sign up, upload with two rounds, each round signs in turn, signed PDF.
func TestWholeJobThroughTheWebPages(t *testing.T) {
	app := testapp.New(t)
	alice := app.NewBrowser()

	// Sign up.
	form := alice.Get("/signup")
	if form.StatusCode != http.StatusOK || form.Doc(t).Find(`form[data-testid="signup-form"] input[name="_csrf"]`).Length() != 1 {
		t.Fatalf("GET /signup: status %d, no form with a CSRF token", form.StatusCode)
	}
	res := alice.SignUpConfirmed(url.Values{"name": {"Alice Sender"}, "organization": {"Acme Ltd"},
		"email": {"Alice@Example.com"}, "password": {"a sufficiently long password"}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/documents/new" {
		t.Fatalf("signup: status %d location %q body %s", res.StatusCode, res.Header.Get("Location"), truncateForLog(res.Body))
	}
	res = alice.Follow(res)
	if res.StatusCode != http.StatusOK || res.Doc(t).Find(`form[data-testid="new-document-form"]`).Length() != 1 {
		t.Fatalf("after signup: status %d, no upload form", res.StatusCode)
	}
	if flash := res.Doc(t).Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "Welcome") {
		t.Errorf("no welcome flash after signup: %q", flash)
	}
	if res.Doc(t).Find(`[data-testid="dev-mailbox-banner"]`).Length() != 0 {
		t.Error("the dev-mailbox banner shows although SMTP is configured")
	}
	if res := alice.Get("/dev/mailbox"); res.StatusCode != http.StatusNotFound {
		t.Errorf("/dev/mailbox with SMTP configured: status %d, want 404", res.StatusCode)
	}

	// Upload in-10.pdf with two signers in two rounds.
	res = alice.PostMultipart("/documents", url.Values{
		"title":                      {"Lease 2026"},
		"message":                    {"Please sign the lease."},
		"recipients[0].name":         {"Jane Doe"},
		"recipients[0].email":        {"jane@example.com"},
		"recipients[0].order":        {"1"},
		"recipients[0].verification": {"email_otp"},
		"recipients[1].name":         {"Bob Builder"},
		"recipients[1].email":        {"bob@example.com"},
		"recipients[1].order":        {"2"},
		"recipients[1].verification": {"none"},
		"intent":                     {"send"},
	}, "lease.pdf", testapp.Fixture(t, "in-10.pdf"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: status %d body %s", res.StatusCode, truncateForLog(res.Body))
	}
	m := documentPath.FindStringSubmatch(res.Header.Get("Location"))
	if m == nil {
		t.Fatalf("upload redirected to %q, want the document page", res.Header.Get("Location"))
	}
	docPath, docID := m[0], m[1]
	page := alice.Follow(res)
	pdoc := page.Doc(t)
	if page.StatusCode != http.StatusOK || strings.TrimSpace(pdoc.Find(`[data-testid="document-title"]`).Text()) != "Lease 2026" {
		t.Fatalf("document page: status %d", page.StatusCode)
	}
	if st := documentStatus(pdoc); st != "Sent" {
		t.Errorf("document status after upload %q, want Sent", st)
	}
	if flash := pdoc.Find(`[data-testid="flash"]`).Text(); !strings.Contains(flash, "was sent for signature") {
		t.Errorf("flash after upload: %q", flash)
	}
	rows := recipientRows(t, pdoc, "jane@example.com", "bob@example.com")
	jane, bob := rows["jane@example.com"], rows["bob@example.com"]
	if len(rows) != 2 || jane.Text == "" || bob.Text == "" {
		t.Fatalf("the document page lists %d recipients, want Jane and Bob: %v", len(rows), rows)
	}
	if !strings.Contains(jane.Text, "Jane Doe") || jane.Round != "1" || !strings.Contains(jane.Text, "Email code") {
		t.Errorf("Jane's row: %q", jane.Text)
	}
	if !strings.Contains(bob.Text, "Bob Builder") || bob.Round != "2" || !strings.Contains(bob.Text, "Link only") {
		t.Errorf("Bob's row: %q", bob.Text)
	}
	if jane.Status != "Notified" || bob.Status != "Pending" {
		t.Errorf("statuses: Jane %q, Bob %q; want Notified and Pending", jane.Status, bob.Status)
	}
	for who, r := range map[string]webRecipient{"Jane": jane, "Bob": bob} {
		if !r.HasCopy || !strings.HasPrefix(r.CopyURL, app.URL+"/s/") || len(r.CopyURL) < len(app.URL+"/s/")+40 {
			t.Errorf("%s's row has no usable \"Copy signing link\" button: %+v", who, r)
		}
	}
	if jane.CopyURL == bob.CopyURL {
		t.Fatal("Jane and Bob share a signing link")
	}

	// Round 1 is invited; round 2 is not, even once every queued job has run.
	invitation := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))
	janeLink := smtptest.ExtractLink(invitation.Text, app.URL+"/s/")
	if janeLink != jane.CopyURL {
		t.Fatalf("Jane's invitation link %q differs from the page's copy link %q", janeLink, jane.CopyURL)
	}
	testapp.Eventually(t, "every queued job to finish", func() bool { return pendingJobs(t, app) == 0 })
	if got := mailsTo(app, "bob@example.com"); len(got) != 0 {
		t.Fatalf("Bob (round 2) was emailed before round 1 signed: %q", got[0].Subject)
	}

	// Jane verifies by email code and signs by drawing.
	janeB := app.NewBrowser()
	if res := janeB.Get(janeLink); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Send verification code") {
		t.Fatalf("Jane's landing: status %d, no \"Send verification code\"", res.StatusCode)
	}
	if res := janeB.PostForm(janeLink+"/code", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send code: status %d", res.StatusCode)
	}
	code := smtptest.ExtractCode(app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "verification code")).Text)
	if code == "" {
		t.Fatal("no code in Jane's email")
	}
	if res := janeB.PostForm(janeLink+"/verify", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: status %d body %s", res.StatusCode, truncateForLog(res.Body))
	}
	if janeB.Get(janeLink).Doc(t).Find(`form[data-testid="sign-form"] input[name="signature"]`).Length() != 1 {
		t.Fatal("Jane's document page has no signature input after verification")
	}
	res = janeB.PostForm(janeLink+"/sign", url.Values{"signature": {pngDataURL(t)}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/done") {
		t.Fatalf("Jane signs: status %d location %q body %s", res.StatusCode, res.Header.Get("Location"), truncateForLog(res.Body))
	}

	// Only now is round 2 invited; Bob signs with a typed name, no verification.
	bobInvitation := app.SMTP.WaitFor(t, toAndSubject("bob@example.com", "to sign"))
	bobLink := smtptest.ExtractLink(bobInvitation.Text, app.URL+"/s/")
	if bobLink != bob.CopyURL {
		t.Fatalf("Bob's invitation link %q differs from the page's copy link %q", bobLink, bob.CopyURL)
	}
	bobB := app.NewBrowser()
	landing := bobB.Get(bobLink)
	if landing.StatusCode != http.StatusOK || strings.Contains(landing.Body, "Send verification code") ||
		landing.Doc(t).Find(`form[data-testid="sign-form"] input[name="typed_name"]`).Length() != 1 {
		t.Fatalf("Bob's link does not open the signing form directly: status %d", landing.StatusCode)
	}
	res = bobB.PostForm(bobLink+"/sign", url.Values{"typed_name": {"Bob Builder"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/done") {
		t.Fatalf("Bob signs: status %d body %s", res.StatusCode, truncateForLog(res.Body))
	}

	// The document completes; the sender sees it everywhere.
	waitForCompletion(t, app, docID, func() bool {
		return documentStatus(alice.Get(docPath).Doc(t)) == "Completed"
	})
	dash := alice.Get("/documents")
	ddoc := dash.Doc(t)
	for status, want := range map[string]string{models.DocCompleted: "1", models.DocSent: "0", models.DocInProgress: "0", models.DocDraft: "0"} {
		if got := dashboardCount(ddoc, status); got != want {
			t.Errorf("dashboard count %s = %q, want %s", status, got, want)
		}
	}
	if row := ddoc.Find(`[data-testid="document-row"]`); row.Length() != 1 || !strings.Contains(row.Text(), "Lease 2026") || !strings.Contains(row.Text(), "2 of 2") {
		t.Errorf("dashboard rows: %q", row.Text())
	}

	app.WaitJobsIdle() // the completion emails' deliveries are in the timeline too
	page = alice.Get(docPath)
	pdoc = page.Doc(t)
	rows = recipientRows(t, pdoc, "jane@example.com", "bob@example.com")
	for _, email := range []string{"jane@example.com", "bob@example.com"} {
		if r := rows[email]; r.Status != "Signed" || r.HasCopy {
			t.Errorf("%s after completion: status %q, copy button %v", email, r.Status, r.HasCopy)
		}
	}
	href, ok := pdoc.Find(`[data-testid="download-signed"]`).Attr("href")
	if !ok || href != "/documents/"+docID+"/signed.pdf" || !strings.Contains(pdoc.Find(`[data-testid="download-signed"]`).Text(), "Signed PDF") {
		t.Fatalf("no \"Signed PDF\" download on the completed document's page (href %q)", href)
	}
	signed := alice.Get(href)
	if signed.StatusCode != http.StatusOK || signed.Header.Get("Content-Type") != "application/pdf" || signed.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("signed PDF: status %d, type %q, cache %q", signed.StatusCode, signed.Header.Get("Content-Type"), signed.Header.Get("Cache-Control"))
	}
	data := []byte(signed.Body)
	if err := pdf.Validate(data); err != nil {
		t.Fatalf("signed PDF does not validate: %v", err)
	}
	qpdfcheck.Clean(t, "signed PDF", data)
	if n, err := pdf.PageCount(data); err != nil || n != 11 {
		t.Fatalf("signed PDF has %d pages (%v), want 10 + the audit page", n, err)
	}
	text, err := pdf.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Jane Doe", "Bob Builder"} {
		if !strings.Contains(text, want) {
			t.Errorf("signed PDF text lacks %q", want)
		}
	}

	// The audit timeline lists every event, in words.
	events, err := app.Store.AuditEvents(t.Context(), docID)
	if err != nil {
		t.Fatal(err)
	}
	items := pdoc.Find(`[data-testid="timeline"] li`)
	if items.Length() != len(events) || len(events) < 9 {
		t.Errorf("timeline has %d entries, the store %d events", items.Length(), len(events))
	}
	timeline := items.Text()
	for _, want := range []string{"Document created", "Document sent", "Invitation sent", "Link opened", "Code sent",
		"Identity verified", "Signed with a drawn signature", "Signed with a typed name", "Document completed", "lease.pdf"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("timeline lacks %q", want)
		}
	}
	if err := models.VerifyAuditChain(events); err != nil {
		t.Errorf("audit chain: %v", err)
	}
}

// Without SMTP, mail goes to the dev mailbox: a banner says so, each organization sees only its own mail.
func TestDevMailboxWithoutSMTP(t *testing.T) {
	app := testapp.New(t, testapp.Options{DevMailbox: true})
	if app.SMTP != nil {
		t.Fatal("the dev-mailbox app has an SMTP server")
	}
	startup := app.Logs.String()
	if !strings.Contains(strings.ToLower(startup), "not delivered") || !strings.Contains(startup, "SIGNET_SMTP_URL") || !strings.Contains(startup, "level=WARN") {
		t.Errorf("no start-up warning that mail is not delivered; logs:\n%s", startup)
	}

	if res := app.NewBrowser().Get("/login"); strings.Contains(res.Body, `data-testid="dev-mailbox-banner"`) {
		t.Error("visitors see the dev-mailbox banner")
	}
	aliceS := app.NewSender("alice@example.com")
	alice := signInSender(t, app, aliceS)
	for _, path := range []string{"/documents", "/documents/new", "/settings/api-keys"} {
		res := alice.Get(path)
		banner := res.Doc(t).Find(`[data-testid="dev-mailbox-banner"]`)
		if res.StatusCode != http.StatusOK || banner.Length() != 1 || !strings.Contains(banner.Text(), "not being delivered") {
			t.Errorf("%s: status %d, banner %q", path, res.StatusCode, banner.Text())
		}
		if href, _ := banner.Find("a").Attr("href"); href != "/dev/mailbox" {
			t.Errorf("%s: the banner links to %q", path, href)
		}
	}

	res := alice.PostMultipart("/documents", url.Values{"title": {"NDA"}, "recipients[0].name": {"Jane Doe"},
		"recipients[0].email": {"jane@example.com"}, "recipients[0].verification": {"email_otp"}, "intent": {"send"}},
		"nda.pdf", testapp.Fixture(t, "in-10.pdf"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: status %d body %s", res.StatusCode, truncateForLog(res.Body))
	}
	link := recipientRows(t, alice.Follow(res).Doc(t), "jane@example.com")["jane@example.com"].CopyURL
	if link == "" {
		t.Fatal("no signing link on the document page")
	}

	var mail *goquery.Selection
	testapp.Eventually(t, "the invitation in the dev mailbox", func() bool {
		mail = alice.Get("/dev/mailbox").Doc(t).Find(`[data-testid="mail"]`)
		return mail.Length() > 0
	})
	if mail.Length() != 1 || !strings.Contains(mail.Text(), "to sign") || !strings.Contains(mail.Text(), "jane@example.com") {
		t.Errorf("dev mailbox: %d mails, %q", mail.Length(), mail.Text())
	}
	if href, _ := mail.Find(`[data-testid="mail-link"]`).Attr("href"); href != link {
		t.Errorf("the mailbox's link %q is not the signing link %q", href, link)
	}
	if res := app.NewBrowser().Get(link); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Send verification code") {
		t.Errorf("the mailbox's link does not open the signing page: status %d", res.StatusCode)
	}

	bob := signInSender(t, app, app.NewSender("bob@other.example"))
	other := bob.Get("/dev/mailbox")
	if other.StatusCode != http.StatusOK {
		t.Fatalf("another organization's mailbox: status %d", other.StatusCode)
	}
	token := strings.TrimPrefix(link, app.URL+"/s/")
	if n := other.Doc(t).Find(`[data-testid="mail"]`).Length(); n != 0 || strings.Contains(other.Body, token) || strings.Contains(other.Body, "jane@example.com") {
		t.Errorf("a sender of another organization sees %d mails of Alice's organization", n)
	}
	if res := app.NewBrowser().Get("/dev/mailbox"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("visitor at /dev/mailbox: status %d location %q", res.StatusCode, res.Header.Get("Location"))
	}
}

// API keys: created on the settings page and shown once, listed by prefix, and useless once revoked.
func TestAPIKeysPage(t *testing.T) {
	app := testapp.New(t)
	aliceS := app.NewSender("alice@example.com")
	alice := signInSender(t, app, aliceS)
	apiStatus := func(key string) int {
		return app.API(key, http.MethodGet, "/api/v1/documents/00000000-0000-4000-8000-000000000000", nil, nil).StatusCode
	}

	list := alice.Get("/settings/api-keys")
	if list.StatusCode != http.StatusOK || list.Doc(t).Find(`[data-testid="new-key"]`).Length() != 0 {
		t.Fatalf("GET api-keys: status %d (or a key is shown without creating one)", list.StatusCode)
	}
	if !strings.Contains(list.Doc(t).Find(`[data-testid="api-keys"]`).Text(), aliceS.APIKey[:12]+"…") {
		t.Error("the existing key is not listed by its prefix")
	}

	if res := alice.PostForm("/settings/api-keys", url.Values{"name": {"  "}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Give the key a name") {
		t.Errorf("nameless key: status %d", res.StatusCode)
	}

	res := alice.PostForm("/settings/api-keys", url.Values{"name": {"CRM integration"}})
	if res.StatusCode != http.StatusCreated || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("create key: status %d cache %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
	doc := res.Doc(t)
	key := strings.TrimSpace(doc.Find(`[data-testid="new-key"] code`).Text())
	if !strings.HasPrefix(key, "sgn_") || len(key) < 40 {
		t.Fatalf("new key %q", key)
	}
	if strings.Contains(doc.Find(`[data-testid="api-keys"]`).Text(), key) {
		t.Error("the key list shows the whole key")
	}
	var row *goquery.Selection
	doc.Find(`[data-testid="api-keys"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "CRM integration") {
			row = s
		}
	})
	if row == nil || !strings.Contains(row.Text(), key[:12]+"…") || !strings.Contains(row.Text(), "Active") {
		t.Fatal("the new key is not listed by its prefix")
	}
	revokePath, _ := row.Find("form").Attr("action")
	if !strings.HasPrefix(revokePath, "/settings/api-keys/") || !strings.HasSuffix(revokePath, "/revoke") {
		t.Fatalf("revoke form action %q", revokePath)
	}
	if got := apiStatus(key); got != http.StatusNotFound {
		t.Fatalf("the new key does not authenticate: status %d, want 404 for a missing document", got)
	}
	if again := alice.Get("/settings/api-keys"); strings.Contains(again.Body, key) {
		t.Error("the key is shown a second time")
	}

	// Another organization cannot revoke it.
	mallory := signInSender(t, app, app.NewSender("mallory@other.example"))
	mallory.Get("/settings/api-keys")
	if res := mallory.PostForm(revokePath, nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoke by another organization: status %d, want 404", res.StatusCode)
	}
	if got := apiStatus(key); got != http.StatusNotFound {
		t.Fatalf("the key stopped working after another organization's revoke attempt: status %d", got)
	}

	alice.Get("/settings/api-keys")
	res = alice.PostForm(revokePath, nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/settings/api-keys" {
		t.Fatalf("revoke: status %d location %q", res.StatusCode, res.Header.Get("Location"))
	}
	after := alice.Follow(res)
	if !strings.Contains(after.Doc(t).Find(`[data-testid="flash"]`).Text(), "revoked") {
		t.Error("no flash after revoking")
	}
	var e apiErrorBody
	r := app.API(key, http.MethodGet, "/api/v1/documents/00000000-0000-4000-8000-000000000000", nil, &e)
	if r.StatusCode != http.StatusUnauthorized || e.Error == nil || e.Error.Code != "unauthorized" {
		t.Fatalf("revoked key: status %d body %s", r.StatusCode, r.Body)
	}
	if got := apiStatus(aliceS.APIKey); got != http.StatusNotFound {
		t.Errorf("revoking one key broke another: status %d", got)
	}
}
