package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"signet/config"
	"signet/internal/testapp"
	"signet/jobs"
	"signet/models"
	"signet/signing"
)

// Two finalisations of one document running at the same time (a duplicate, or a rescue of a job
// that was not dead) complete it once: one completion event, one email per party.
func TestConcurrentFinalisationsCompleteOnce(t *testing.T) {
	gate := testapp.NewS3Gate(t, "signet", "/original.pdf")
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.StorageURL = gate.URL("signet")
		c.Jobs.FinalizeWorkers = 2
	}})
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipients[0]
	b := app.NewBrowser()
	b.Verify(jane.Link, jane.Email)
	gate.Close()
	if res := b.PostForm(jane.Link+"/sign", url.Values{"typed_name": {"Jane"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: status %d", res.StatusCode)
	}
	testapp.Eventually(t, "the finalisation to be reading the original", func() bool { return gate.Waiting() == 1 })
	err := app.Queue.Transact(t.Context(), func(tx *gorm.DB) error {
		return app.Queue.Enqueue(t.Context(), tx, jobs.FinalizeArgs{DocumentID: doc.ID, AfterFailure: "duplicate"})
	})
	if err != nil {
		t.Fatal(err)
	}
	testapp.Eventually(t, "both finalisations to be reading the original", func() bool { return gate.Waiting() == 2 })
	gate.Open()
	app.WaitJobsIdle()

	var completed int64
	app.DB.Model(&models.AuditEvent{}).Where("document_id = ? AND event = ?", doc.ID, signing.EventDocumentCompleted).Count(&completed)
	if completed != 1 {
		t.Fatalf("%d completion events, want 1", completed)
	}
	for _, to := range []string{"jane@example.com", "alice@example.com"} {
		n := 0
		for _, m := range app.SMTP.Messages() {
			if len(m.To) == 1 && m.To[0] == to && (strings.Contains(m.Subject, "is complete") || strings.Contains(m.Subject, "signed by everyone")) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d completion emails to %s, want 1", n, to)
		}
	}
	stored, _ := app.Store.Document(t.Context(), sender.User.OrganizationID, doc.ID)
	if _, err := app.Blobs.Get(t.Context(), stored.SignedKey); err != nil {
		t.Fatalf("the signed PDF the document points at: %v", err)
	}
}
