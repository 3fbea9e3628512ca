package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signet/internal/testapp"
	"signet/models"
	"signet/signing"
)

// When the signed PDF cannot be prepared (here the stored original went missing), the failure is
// recorded, the sender's page says so and offers a retry, and the retry completes the document.
func TestFinalizeFailureIsShownAndCanBeRetried(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipient(t, "jane@example.com")
	stored, _ := app.Store.Document(t.Context(), sender.User.OrganizationID, doc.ID)
	original, err := app.Blobs.Get(t.Context(), stored.OriginalKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Blobs.Delete(t.Context(), stored.OriginalKey); err != nil {
		t.Fatal(err)
	}

	signer := app.NewBrowser()
	signer.Verify(jane.Link, jane.Email)
	if res := signer.PostForm(jane.Link+"/sign", url.Values{"typed_name": {"Jane"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: status %d", res.StatusCode)
	}
	testapp.Eventually(t, "the failure to be recorded", func() bool {
		events, _ := app.Store.AuditEvents(t.Context(), doc.ID)
		return events[len(events)-1].Event == signing.EventFinalizeFailed
	})

	if logged := app.Logs.Problems(); !strings.Contains(logged, "level=ERROR") || !strings.Contains(logged, "finalisation failed") ||
		!strings.Contains(logged, "document_id="+doc.ID) {
		t.Fatalf("the failure is not in the server log at ERROR with the document id; problems logged:\n%s", logged)
	}

	b := app.Login(sender)
	page := b.Get("/documents/" + doc.ID).Doc(t)
	if page.Find(`[data-testid="finalize-failed"]`).Length() != 1 || page.Find(`[data-testid="retry-finalize"]`).Length() != 1 {
		t.Fatal("the sender's page does not show the failure with a retry button")
	}
	if err := app.Blobs.Put(t.Context(), stored.OriginalKey, original); err != nil {
		t.Fatal(err)
	}
	if res := b.PostForm("/documents/"+doc.ID+"/finalize", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("retry: status %d", res.StatusCode)
	}
	testapp.Eventually(t, "completion after the retry", func() bool {
		d, _ := app.Store.Document(t.Context(), sender.User.OrganizationID, doc.ID)
		return d.Status == models.DocCompleted
	})
	if b.Get("/documents/"+doc.ID).Doc(t).Find(`[data-testid="finalize-failed"]`).Length() != 0 {
		t.Fatal("the failure banner is still shown after completion")
	}
	if res := b.PostForm("/documents/"+doc.ID+"/finalize", nil); res.StatusCode != http.StatusConflict {
		t.Fatalf("retrying a completed document: status %d, want 409", res.StatusCode)
	}
}
