package web_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signet/internal/qpdfcheck"
	"signet/internal/testapp"
	"signet/models"
	"signet/notify/smtptest"
	"signet/pdf"
)

type apiDoc struct {
	ID             string `json:"id"`
	Title          string `json:"title"`
	Status         string `json:"status"`
	OriginalSHA256 string `json:"original_sha256"`
	SignedSHA256   string `json:"signed_sha256"`
	Recipients     []struct {
		ID         string `json:"id"`
		Name       string `json:"name"`
		Email      string `json:"email"`
		Order      int    `json:"order"`
		Status     string `json:"status"`
		SigningURL string `json:"signing_url"`
	} `json:"recipients"`
}

func createRequest(pdfBytes []byte, recipients ...map[string]any) map[string]any {
	return map[string]any{
		"title":      "Consulting agreement",
		"message":    "Please sign by Friday.",
		"filedata":   map[string]string{"name": "agreement.pdf", "content": base64.StdEncoding.EncodeToString(pdfBytes)},
		"recipients": recipients,
		"send":       true,
	}
}

func toAndSubject(to, subject string) func(smtptest.Mail) bool {
	return func(m smtptest.Mail) bool {
		return len(m.To) > 0 && m.To[0] == to && strings.Contains(m.Subject, subject)
	}
}

// The whole job through the API: create, invitation, verify by email code, sign, completed, signed PDF.
func TestWholeJobThroughTheAPI(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	original := testapp.Fixture(t, "in-10.pdf")

	var created apiDoc
	res := app.API(sender.APIKey, http.MethodPost, "/api/v1/documents",
		createRequest(original, map[string]any{"name": "Jane Doe", "email": "jane@example.com", "authentication": "email_otp"}), &created)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: status %d, body %s", res.StatusCode, res.Body)
	}
	if created.Status != models.DocSent || len(created.Recipients) != 1 || created.Recipients[0].SigningURL == "" {
		t.Fatalf("create: unexpected answer %+v", created)
	}

	invitation := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))
	link := smtptest.ExtractLink(invitation.Text, app.URL+"/s/")
	if link != created.Recipients[0].SigningURL {
		t.Fatalf("invitation link %q differs from the API's signing_url %q", link, created.Recipients[0].SigningURL)
	}
	if !strings.Contains(invitation.HTML, link) {
		t.Fatal("the HTML part of the invitation lacks the link")
	}

	jane := app.NewBrowser()
	landing := jane.Get(link)
	if landing.StatusCode != http.StatusOK || !strings.Contains(landing.Body, "Send verification code") {
		t.Fatalf("landing: status %d, body lacks the button", landing.StatusCode)
	}
	if n := countChallenges(t, app); n != 0 {
		t.Fatalf("GET of the link created %d codes; it must send nothing", n)
	}
	if res := jane.Get(link + "/document.pdf"); res.StatusCode != http.StatusForbidden || strings.HasPrefix(res.Body, "%PDF") {
		t.Fatalf("document bytes before verification: status %d", res.StatusCode)
	}

	if res := jane.PostForm(link+"/code", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send code: status %d body %s", res.StatusCode, res.Body)
	}
	codeMail := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "verification code"))
	code := smtptest.ExtractCode(codeMail.Text)
	if code == "" {
		t.Fatalf("no code in %q", codeMail.Text)
	}

	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	res = jane.PostForm(link+"/verify", url.Values{"code": {wrong}})
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "4 tries left") {
		t.Fatalf("wrong code: status %d, body lacks the tries left", res.StatusCode)
	}

	before := jane.Cookie("signet")
	res = jane.PostForm(link+"/verify", url.Values{"code": {code}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("right code: status %d body %s", res.StatusCode, res.Body)
	}
	if after := jane.Cookie("signet"); after == "" || after == before {
		t.Fatal("the session cookie did not change on verification")
	}
	page := jane.Get(link)
	if page.Doc(t).Find(`form[data-testid="sign-form"] input[name="typed_name"]`).Length() != 1 {
		t.Fatal("the document page has no typed_name input after verification")
	}
	if res := jane.Get(link + "/document.pdf"); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "%PDF-") || res.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("document after verification: status %d, cache %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}

	res = jane.PostForm(link+"/sign", url.Values{"typed_name": {"Jane Doe"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasSuffix(res.Header.Get("Location"), "/done") {
		t.Fatalf("sign: status %d location %q body %s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}

	var doc apiDoc
	testapp.Eventually(t, "the document to complete", func() bool {
		app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+created.ID, nil, &doc)
		return doc.Status == models.DocCompleted
	})
	if doc.SignedSHA256 == "" || doc.OriginalSHA256 == "" || doc.Recipients[0].Status != models.RecipientSigned {
		t.Fatalf("completed document: %+v", doc)
	}
	signed := app.API(sender.APIKey, http.MethodGet, "/api/v1/documents/"+created.ID+"/file?version=signed", nil, nil)
	if signed.StatusCode != http.StatusOK {
		t.Fatalf("signed file: status %d", signed.StatusCode)
	}
	data := []byte(signed.Body)
	if err := pdf.Validate(data); err != nil {
		t.Fatalf("signed PDF does not validate: %v", err)
	}
	qpdfcheck.Clean(t, "signed PDF", data)
	if n, err := pdf.PageCount(data); err != nil || n != 11 {
		t.Fatalf("signed PDF has %d pages (%v), want the original's 10 plus 1", n, err)
	}
	seal, err := pdf.VerifySeal(data)
	if err != nil || !seal.Valid || seal.Modified || !strings.Contains(seal.SignerName, "Signet document seal") {
		t.Fatalf("the signed PDF is not sealed by the portal: %+v, %v", seal, err)
	}
	text, err := pdf.Text(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Jane Doe", "jane@example.com", doc.OriginalSHA256} {
		if !strings.Contains(text, want) {
			t.Errorf("signed PDF text lacks %q", want)
		}
	}
	done := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "complete"))
	if len(done.Attachments) != 1 || !strings.HasPrefix(string(done.Attachments[0].Data), "%PDF-") {
		t.Fatalf("the signer's completion email carries %d attachments, want the signed PDF", len(done.Attachments))
	}
	app.SMTP.WaitFor(t, toAndSubject("alice@example.com", "signed by everyone"))
	events, err := app.Store.AuditEvents(t.Context(), created.ID)
	if err != nil || models.VerifyAuditChain(events) != nil {
		t.Fatalf("audit chain: %v / %v", err, models.VerifyAuditChain(events))
	}
}

func countChallenges(t *testing.T, app *testapp.App) int64 {
	var n int64
	if err := app.DB.Model(&models.Challenge{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
