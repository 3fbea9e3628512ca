package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"signet/internal/testapp"
	"signet/jobs"
	"signet/signing"
)

// A completion email job worked again after its delivery (River rescued it because the process
// died before recording the job's end) does not send the email a second time.
func TestRescuedCompletionEmailIsNotSentTwice(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	doc := app.CreateDocument(sender.APIKey, true, "jane@example.com")
	jane := doc.Recipients[0]
	b := app.NewBrowser()
	b.Verify(jane.Link, jane.Email)
	if res := b.PostForm(jane.Link+"/sign", url.Values{"typed_name": {"Jane"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: status %d", res.StatusCode)
	}
	app.WaitJobsIdle()
	completionMails := func() int {
		n := 0
		for _, m := range app.SMTP.Messages() {
			if len(m.To) == 1 && m.To[0] == jane.Email && strings.Contains(m.Subject, "is complete") {
				n++
			}
		}
		return n
	}
	if n := completionMails(); n != 1 {
		t.Fatalf("%d completion emails before the rescue, want 1", n)
	}
	jobsOf := emailJobs(t, app.DB, jobs.EmailCompletedSigner)
	if len(jobsOf) != 1 {
		t.Fatalf("%d completion jobs for signers, want 1", len(jobsOf))
	}
	var created time.Time
	if err := app.DB.Raw("SELECT created_at FROM river_job WHERE id = ?", jobsOf[0].ID).Row().Scan(&created); err != nil {
		t.Fatal(err)
	}
	worker := &signing.EmailWorker{Service: app.Signing, Limit: time.Minute, Logger: app.Logger}
	rescued := &river.Job[jobs.EmailArgs]{JobRow: &rivertype.JobRow{ID: jobsOf[0].ID, Attempt: 2, MaxAttempts: 12, CreatedAt: created}, Args: jobsOf[0].Args}
	if err := worker.Work(context.Background(), rescued); err != nil {
		t.Fatalf("rescued attempt: %v", err)
	}
	if n := completionMails(); n != 1 {
		t.Fatalf("%d completion emails after the rescued attempt, want still 1", n)
	}
	// The first attempt of a job does not look: the check is what kept the rescue from sending.
	first := &river.Job[jobs.EmailArgs]{JobRow: &rivertype.JobRow{ID: jobsOf[0].ID, Attempt: 1, MaxAttempts: 12, CreatedAt: created}, Args: jobsOf[0].Args}
	if err := worker.Work(context.Background(), first); err != nil {
		t.Fatal(err)
	}
	if n := completionMails(); n != 2 {
		t.Fatalf("%d completion emails after a first attempt, want 2", n)
	}
}
