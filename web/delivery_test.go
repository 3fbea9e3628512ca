package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"signet/config"
	"signet/internal/testapp"
	"signet/jobs"
	"signet/models"
	"signet/notify/smtptest"
)

// requestBound is a safety net, not a benchmark: a request that waited on SMTP retries would take longer.
const requestBound = 5 * time.Second

// emailJob is one River email job as stored.
type emailJob struct {
	ID      int64
	State   string
	Attempt int
	Args    jobs.EmailArgs
}

// emailJobs reads the email jobs of the given message (invitation, code …) from river_job.
func emailJobs(t *testing.T, db *gorm.DB, message string) []emailJob {
	t.Helper()
	args := "json(args)" // SQLite keeps args as JSONB
	if models.IsPostgres(db) {
		args = "args::text"
	}
	rows, err := db.Raw("SELECT id, state, attempt, " + args + " FROM river_job WHERE kind = 'email' ORDER BY id").Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []emailJob
	for rows.Next() {
		var j emailJob
		var raw string
		if err := rows.Scan(&j.ID, &j.State, &j.Attempt, &raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), &j.Args); err != nil {
			t.Fatalf("job %d args %q: %v", j.ID, raw, err)
		}
		if j.Args.Message == message {
			out = append(out, j)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitForFailedAttempt waits until the one email job of the message has been tried, has failed, and waits
// for its retry: proof the outage was real and the job survived it.
func waitForFailedAttempt(t *testing.T, db *gorm.DB, message string) emailJob {
	t.Helper()
	var job emailJob
	testapp.Eventually(t, "a failed attempt of the "+message+" email", func() bool {
		js := emailJobs(t, db, message)
		if len(js) > 1 {
			t.Fatalf("%d %s jobs, want 1", len(js), message)
		}
		if len(js) == 1 {
			if js[0].State == "completed" {
				t.Fatalf("the %s email was delivered while the SMTP server refused everything", message)
			}
			job = js[0]
			return job.Attempt >= 1 && (job.State == "available" || job.State == "retryable" || job.State == "scheduled")
		}
		return false
	})
	return job
}

// waitForCompletedAfterRetry waits until the email job is completed and checks it needed more than one attempt.
func waitForCompletedAfterRetry(t *testing.T, db *gorm.DB, message string) {
	t.Helper()
	testapp.Eventually(t, "the "+message+" job to complete", func() bool {
		js := emailJobs(t, db, message)
		return len(js) == 1 && js[0].State == "completed"
	})
	if j := emailJobs(t, db, message)[0]; j.Attempt < 2 {
		t.Fatalf("the %s job completed in %d attempt(s); it should have needed a retry after the outage", message, j.Attempt)
	}
}

func linkToken(link string) string { return link[strings.LastIndex(link, "/s/")+3:] }

// An SMTP outage never fails or slows a request: mail is queued in the request's transaction and retried
// in the background until the server takes it.
func TestDeliverySMTPOutageNeverFailsARequest(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	app.SMTP.SetFailing(true)

	start := time.Now()
	doc := app.SendDocument(sender, "jane@example.com") // fails the test unless 201 Created
	if took := time.Since(start); took > requestBound {
		t.Fatalf("create and send took %s while SMTP was down: the request waited for mail", took)
	}
	jane := doc.Recipient(t, "jane@example.com")

	b := app.NewBrowser()
	start = time.Now()
	res := b.RequestCode(jane.Link)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("Send verification code while SMTP is down: status %d, body %s", res.StatusCode, res.Body)
	}
	if took := time.Since(start); took > requestBound {
		t.Fatalf("Send verification code took %s while SMTP was down", took)
	}

	waitForFailedAttempt(t, app.DB, jobs.EmailInvitation)
	waitForFailedAttempt(t, app.DB, jobs.EmailCode)
	if got := app.SMTP.Messages(); len(got) != 0 {
		t.Fatalf("the failing SMTP server accepted %d messages", len(got))
	}

	app.SMTP.SetFailing(false)
	restored := time.Now()
	invitation := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))
	if link := smtptest.ExtractLink(invitation.Text, app.URL+"/s/"); link != jane.Link {
		t.Fatalf("the retried invitation links to %q, want %q", link, jane.Link)
	}
	codeMail := app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "verification code"))
	t.Logf("both emails arrived %s after the SMTP server recovered", time.Since(restored).Round(10*time.Millisecond))
	code := smtptest.ExtractCode(codeMail.Text)
	if code == "" {
		t.Fatalf("no code in the retried email %q", codeMail.Text)
	}
	if res := b.SubmitCode(jane.Link, code); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the code delivered late does not verify: status %d, body %s", res.StatusCode, res.Body)
	}
	waitForCompletedAfterRetry(t, app.DB, jobs.EmailInvitation)
	waitForCompletedAfterRetry(t, app.DB, jobs.EmailCode)
	if n := len(app.CodeMails("jane@example.com")); n != 1 {
		t.Fatalf("%d code emails, want exactly 1 (a retry must not send twice)", n)
	}
}

// A restart loses no mail: an invitation that app A could not deliver is delivered by app B, started on the
// same database and data directory.
func TestDeliverySurvivesRestart(t *testing.T) {
	dataDir, databaseURL := t.TempDir(), testapp.FreshDatabaseURL(t)
	sameStorage := testapp.Options{Configure: func(c *config.Config) { c.DataDir, c.DatabaseURL = dataDir, databaseURL }}

	var doc *testapp.SignerDoc
	var docID string
	if !t.Run("app A with SMTP down", func(t *testing.T) {
		a := testapp.New(t, sameStorage) // closed entirely (River, HTTP, database) when this subtest ends
		a.SMTP.SetFailing(true)
		sender := a.NewSender("alice@example.com")
		doc = a.SendDocument(sender, "jane@example.com")
		docID = doc.ID
		waitForFailedAttempt(t, a.DB, jobs.EmailInvitation)
		// Stop working jobs now, so A cannot try again (and push the retry further out) while shutting down.
		if err := a.Queue.Stop(t.Context()); err != nil {
			t.Fatal(err)
		}
		if js := emailJobs(t, a.DB, jobs.EmailInvitation); len(js) != 1 || js[0].State == "completed" || js[0].Args.DocumentID != docID {
			t.Fatalf("app A leaves invitation jobs %+v, want one pending for document %s", js, docID)
		}
		if got := a.SMTP.Messages(); len(got) != 0 {
			t.Fatalf("the failing SMTP server accepted %d messages", len(got))
		}
	}) {
		return
	}

	// Between the two apps, with nothing running: the job is in the database.
	driver, dsn := config.Config{DataDir: dataDir, DatabaseURL: databaseURL}.DSN()
	between, err := models.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	pending := emailJobs(t, between, jobs.EmailInvitation)
	if sqlDB, err := between.DB(); err == nil {
		sqlDB.Close()
	}
	if len(pending) != 1 || pending[0].State == "completed" || pending[0].Args.DocumentID != docID {
		t.Fatalf("with app A stopped the invitation job is %+v, want one pending", pending)
	}

	b := testapp.New(t, sameStorage) // a working SMTP server this time
	invitation := b.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign"))
	link := smtptest.ExtractLink(invitation.Text, b.URL+"/s/")
	if link == "" || linkToken(link) != linkToken(doc.Recipient(t, "jane@example.com").Link) {
		t.Fatalf("app B's invitation links to %q, want jane's signing link", link)
	}
	waitForCompletedAfterRetry(t, b.DB, jobs.EmailInvitation)
	if page := b.NewBrowser().Get(link); page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "Send verification code") {
		t.Fatalf("the link delivered by app B does not open: status %d", page.StatusCode)
	}
}
