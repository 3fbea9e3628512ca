package web_test

import (
	"encoding/base64"
	"net/http"
	"net/mail"
	"strings"
	"testing"

	"signet/internal/testapp"
	"signet/models"
	"signet/notify/smtptest"
	"signet/signing"
)

// sendToNamed creates and sends a document to recipients with the given names (one email_otp
// signer each, first round), returning its id.
func sendToNamed(t *testing.T, app *testapp.App, key string, names map[string]string) string {
	t.Helper()
	var recipients []map[string]any
	for email, name := range names {
		recipients = append(recipients, map[string]any{"name": name, "email": email, "order": 1, "authentication": "email_otp"})
	}
	var out struct {
		ID string `json:"id"`
	}
	res := app.API(key, http.MethodPost, "/api/v1/documents", map[string]any{
		"title": "Names", "recipients": recipients, "send": true,
		"filedata": map[string]string{"name": "a.pdf", "content": base64.StdEncoding.EncodeToString(testapp.Fixture(t, "in-10.pdf"))},
	}, &out)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("create: status %d, body %s", res.StatusCode, res.Body)
	}
	return out.ID
}

// Names with quotes, @, <>, commas, semicolons, backslashes and non-ASCII letters reach the
// recipient intact through the real SMTP conversation, and the delivery is in the audit trail.
func TestInvitationsToHardNamesAreDeliveredWithTheNameIntact(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	names := map[string]string{
		"tom@example.com": `Tom "T@m" Ray`, "ann@example.com": `Ann \`, "li@example.com": `Li <li@x>`,
		"doe@example.com": `Doe, John; Jr.`, "bob@example.com": `Robert "Bob" Smith`, "zoe@example.com": `Zoë Ñúñez 山田`,
	}
	docID := sendToNamed(t, app, sender.APIKey, names)
	for email, name := range names {
		m := app.SMTP.WaitFor(t, func(m smtptest.Mail) bool { return len(m.To) == 1 && m.To[0] == email })
		to, err := mail.ParseAddress(m.Header.Get("To"))
		if err != nil || to.Name != name || to.Address != email {
			t.Errorf("To header %q parsed as %+v (%v), want %q <%s>", m.Header.Get("To"), to, err, name, email)
		}
		if !strings.Contains(m.Text, name) {
			t.Errorf("the greeting to %s lacks the name %q", email, name)
		}
	}
	app.WaitJobsIdle()
	var delivered int64
	app.DB.Model(&models.AuditEvent{}).Where("document_id = ? AND event = ?", docID, signing.EventEmailDelivered).Count(&delivered)
	if delivered != int64(len(names)) {
		t.Fatalf("%d deliveries recorded, want %d", delivered, len(names))
	}
}

// A refused delivery is not reported as sent: the audit trail records the failure with the
// server's reason, and the sender's page says which invitation did not arrive.
func TestRefusedInvitationIsRecordedAndShownToTheSender(t *testing.T) {
	app := testapp.New(t)
	app.SMTP.RejectRecipient("gone@example.com")
	sender := app.NewSender("alice@example.com")
	docID := sendToNamed(t, app, sender.APIKey, map[string]string{"gone@example.com": "Gone Person", "jane@example.com": "Jane"})
	app.WaitJobsIdle()

	events, err := app.Store.AuditEvents(t.Context(), docID)
	if err != nil {
		t.Fatal(err)
	}
	var failed, delivered []models.AuditEvent
	for _, e := range events {
		switch e.Event {
		case signing.EventEmailFailed:
			failed = append(failed, e)
		case signing.EventEmailDelivered:
			delivered = append(delivered, e)
		}
	}
	if len(failed) != 1 || !strings.Contains(failed[0].Details, "gone@example.com") || !strings.Contains(failed[0].Details, "550") {
		t.Fatalf("failure events %+v, want one for gone@example.com with the server's 550", failed)
	}
	if len(delivered) != 1 || !strings.Contains(delivered[0].Details, "jane@example.com") {
		t.Fatalf("delivery events %+v, want one for jane@example.com only", delivered)
	}
	if n := len(emailJobs(t, app.DB, "invitation")); n != 2 {
		t.Fatalf("%d invitation jobs, want 2", n)
	}
	for _, j := range emailJobs(t, app.DB, "invitation") {
		if j.Attempt != 1 {
			t.Errorf("invitation job %d made %d attempts: a permanent refusal must not be retried", j.ID, j.Attempt)
		}
	}

	page := app.Login(sender).Get("/documents/" + docID).Doc(t)
	banner := page.Find(`[data-testid="delivery-failed"]`).Text()
	if !strings.Contains(banner, "The invitation to gone@example.com could not be delivered") || strings.Contains(banner, "jane@example.com") {
		t.Fatalf("sender's page banner %q, want the failed invitation to gone@example.com only", banner)
	}
	if !strings.Contains(app.Logs.Problems(), `msg="email not delivered"`) {
		t.Fatal("the failed delivery was not logged at ERROR")
	}
}
