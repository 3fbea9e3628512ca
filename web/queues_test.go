package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"gorm.io/gorm"

	"signet/config"
	"signet/internal/testapp"
	"signet/jobs"
	"signet/models"
)

// queuedFinalizations is the backlog the issue describes: a code must not wait behind it.
const queuedFinalizations = 200

// A verification code is delivered while every finalize worker is busy and 200 finalisations wait:
// codes have a queue and workers of their own.
func TestCodeEmailOvertakesQueuedFinalisations(t *testing.T) {
	gate := testapp.NewS3Gate(t, "signet", "/original.pdf")
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.StorageURL = gate.URL("signet")
		c.Jobs.FinalizeWorkers = 2
	}})
	sender := app.NewSender("alice@example.com")

	// Two completed documents occupy both finalize workers: their stamping hangs on reading the original.
	var held []*testapp.SignerDoc
	for _, email := range []string{"held1@example.com", "held2@example.com"} {
		doc := app.CreateDocument(sender.APIKey, true, email)
		r := doc.Recipients[0]
		b := app.NewBrowser()
		b.Verify(r.Link, r.Email)
		gate.Close()
		if res := b.PostForm(r.Link+"/sign", url.Values{"typed_name": {r.Name}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign: status %d", res.StatusCode)
		}
		held = append(held, doc)
	}
	testapp.Eventually(t, "both finalize workers to be busy", func() bool { return gate.Waiting() == 2 })
	// And 200 more finalisations wait behind them.
	err := app.Queue.Transact(t.Context(), func(tx *gorm.DB) error {
		for range queuedFinalizations {
			if err := app.Queue.Enqueue(t.Context(), tx, jobs.FinalizeArgs{DocumentID: models.NewID()}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipients[0]
	asked := time.Now()
	app.NewBrowser().Verify(jane.Link, jane.Email) // fails unless the code email arrives
	t.Logf("code email delivered %s after the request, with %d finalisations queued", time.Since(asked).Round(time.Millisecond), queuedFinalizations)

	if n := gate.Waiting(); n != 2 {
		t.Fatalf("%d finalisations still stamping when the code arrived, want both (the code did not overtake them)", n)
	}
	var waiting int64
	app.DB.Raw("SELECT count(*) FROM river_job WHERE kind = 'finalize' AND state = 'available'").Scan(&waiting)
	if waiting != queuedFinalizations {
		t.Fatalf("%d finalisations waiting when the code arrived, want all %d", waiting, queuedFinalizations)
	}
	var queue string
	app.DB.Raw("SELECT queue FROM river_job WHERE kind = 'email' ORDER BY id DESC LIMIT 1").Scan(&queue)
	if queue != jobs.QueueInteractive {
		t.Fatalf("the code email went to queue %q, want %q", queue, jobs.QueueInteractive)
	}

	gate.Open() // the held documents complete; the backlog of unknown documents is cancelled
	for _, d := range held {
		testapp.Eventually(t, "the held document to complete", func() bool {
			got, _ := app.Store.Document(t.Context(), sender.User.OrganizationID, d.ID)
			return got.Status == models.DocCompleted
		})
	}
}
