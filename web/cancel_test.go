package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signet/internal/testapp"
	"signet/models"
)

// A sender cancels a sent document: it becomes cancelled, invited recipients are told why,
// their links and verified sessions stop giving access, and a finished state cannot be cancelled.
func TestSenderCancelsADocument(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipient(t, "jane@example.com")
	app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))

	signer := app.NewBrowser()
	signer.Verify(jane.Link, jane.Email)
	if res := signer.Get(jane.Link + "/document.pdf"); res.StatusCode != http.StatusOK {
		t.Fatalf("before cancelling the verified signer gets status %d", res.StatusCode)
	}

	b := app.Login(sender)
	page := b.Get("/documents/" + doc.ID)
	if page.Doc(t).Find(`form[data-testid="cancel-form"]`).Length() != 1 {
		t.Fatal("the document page offers no cancel form")
	}
	res := b.PostForm("/documents/"+doc.ID+"/cancel", url.Values{"reason": {"Wrong version attached"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: status %d, body %s", res.StatusCode, res.Body)
	}
	stored, err := app.Store.Document(t.Context(), sender.User.OrganizationID, doc.ID)
	if err != nil || stored.Status != models.DocCancelled {
		t.Fatalf("document after cancel: %v, %v", stored, err)
	}
	events, _ := app.Store.AuditEvents(t.Context(), doc.ID)
	if last := events[len(events)-1]; last.Event != "document_cancelled" || !strings.Contains(last.Details, "Wrong version attached") {
		t.Fatalf("last audit event %+v, want document_cancelled with the reason", last)
	}
	notice := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "was cancelled"))
	if !strings.Contains(notice.Text, "Wrong version attached") {
		t.Errorf("the cancellation email lacks the reason: %q", notice.Text)
	}

	if res := signer.Get(jane.Link + "/document.pdf"); res.StatusCode != http.StatusGone || strings.HasPrefix(res.Body, "%PDF") {
		t.Fatalf("after cancelling the verified signer gets status %d", res.StatusCode)
	}
	landing := signer.Get(jane.Link)
	if !strings.Contains(landing.Body, "cancelled") || landing.Doc(t).Find(`form[data-testid="sign-form"]`).Length() != 0 {
		t.Fatal("after cancelling the link still offers signing or does not say it was cancelled")
	}
	if res := signer.PostForm(jane.Link+"/sign", url.Values{"typed_name": {"Jane"}}); res.StatusCode != http.StatusConflict {
		t.Fatalf("signing a cancelled document: status %d, want 409", res.StatusCode)
	}
	if res := b.PostForm("/documents/"+doc.ID+"/cancel", nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("cancelling twice: status %d, want 409", res.StatusCode)
	}
}
