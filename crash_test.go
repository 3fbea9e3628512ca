package main

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"signet/config"
	"signet/internal/testapp"
	"signet/models"
	"signet/notify/smtptest"
	"signet/signing"
)

func TestMain(m *testing.M) {
	testapp.RunChildIfAsked(func() error { return run([]string{"serve"}, os.Stdout, os.Stderr) })
	os.Exit(m.Run())
}

// recoveryBound is a safety net for a rescue (leader lease expiry, rescuer tick, back-off), not a
// performance assertion.
const recoveryBound = 40 * time.Second

// crashScene is a document whose finalisation is running in a child Signet, held on reading the
// original from storage, with its two signers and sender.
type crashScene struct {
	t      *testing.T
	app    *testapp.App // shares database, blobs and mail server with the child; works no jobs itself
	gate   *testapp.S3Gate
	addr   string
	child  *testapp.Process
	doc    *testapp.SignerDoc
	sender *testapp.Sender
}

// newCrashScene starts a child, has both signers sign, and returns once the finalize job is running
// and held in the child.
func newCrashScene(t *testing.T) *crashScene {
	gate := testapp.NewS3Gate(t, "signet", "/original.pdf")
	app := testapp.New(t, testapp.Options{NoJobs: true, Configure: func(c *config.Config) { c.StorageURL = gate.URL("signet") }})
	s := &crashScene{t: t, app: app, gate: gate, addr: testapp.FreeAddr(t)}
	s.child = s.start(map[string]string{"SIGNET_SHUTDOWN_GRACE": "1s"})
	app.URL = s.child.URL // every request goes to the child
	s.sender = app.NewSender("alice@example.com")
	s.doc = app.CreateDocument(s.sender.APIKey, true, "jane@example.com", "joe@example.com")
	for i, r := range s.doc.Recipients {
		b := app.NewBrowser()
		b.Verify(r.Link, r.Email)
		if i == len(s.doc.Recipients)-1 {
			gate.Close() // the last signature queues the finalisation; it will hang on reading the original
		}
		if res := b.PostForm(r.Link+"/sign", url.Values{"typed_name": {r.Name}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign as %s: status %d", r.Email, res.StatusCode)
		}
	}
	testapp.Eventually(t, "the finalize job to be running in the child and reading the original", func() bool {
		return gate.Waiting() > 0 && s.finalizeStates() == "running"
	})
	return s
}

// start runs a child Signet on the scene's address with extra settings.
func (s *crashScene) start(extra map[string]string) *testapp.Process {
	env := s.app.ChildEnv(s.addr)
	for k, v := range extra {
		env[k] = v
	}
	return testapp.StartProcess(s.t, env)
}

// finalizeStates lists the states of the document's finalize jobs, comma-separated.
func (s *crashScene) finalizeStates() string {
	var states []string
	if err := s.app.DB.Raw("SELECT state FROM river_job WHERE kind = 'finalize' ORDER BY id").Scan(&states).Error; err != nil {
		s.t.Fatal(err)
	}
	return strings.Join(states, ",")
}

// assertCompletedOnce waits for completion and its emails, stops the child so nothing more can
// happen, then checks one completion event and exactly one completion email per party.
func (s *crashScene) assertCompletedOnce(child *testapp.Process) {
	t := s.t
	started := time.Now()
	deadline := started.Add(recoveryBound)
	parties := []string{"jane@example.com", "joe@example.com", "alice@example.com"}
	for !s.completionMailsArrived(parties) {
		if time.Now().After(deadline) {
			var jobs []string
			s.app.DB.Raw("SELECT kind || ' ' || queue || ' ' || state FROM river_job ORDER BY id").Scan(&jobs)
			var subjects []string
			for _, m := range s.app.SMTP.Messages() {
				subjects = append(subjects, strings.Join(m.To, ",")+": "+m.Subject)
			}
			t.Fatalf("the document did not complete after the restart; jobs: %v; mail: %q", jobs, subjects)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("completion emails arrived %s after the restart", time.Since(started).Round(100*time.Millisecond)) // a figure for the README
	if err := child.Terminate(); err != nil {
		t.Fatalf("the restarted child did not stop cleanly: %v", err)
	}
	doc, err := s.app.Store.Document(context.Background(), s.sender.User.OrganizationID, s.doc.ID)
	if err != nil || doc.Status != models.DocCompleted || doc.SignedKey == "" {
		t.Fatalf("document %+v (err %v), want completed with a signed PDF", doc, err)
	}
	var completed int64
	s.app.DB.Model(&models.AuditEvent{}).Where("document_id = ? AND event = ?", doc.ID, signing.EventDocumentCompleted).Count(&completed)
	if completed != 1 {
		t.Fatalf("%d %s events, want exactly 1", completed, signing.EventDocumentCompleted)
	}
	for _, p := range parties {
		if n := len(s.completionMails(p)); n != 1 {
			t.Errorf("%d completion emails to %s, want exactly 1", n, p)
		}
	}
	if st := s.finalizeStates(); st != "completed" {
		t.Errorf("finalize jobs %q, want one completed job", st)
	}
}

func (s *crashScene) completionMails(to string) []smtptest.Mail {
	var out []smtptest.Mail
	for _, m := range s.app.SMTP.Messages() {
		if len(m.To) == 1 && m.To[0] == to && (strings.Contains(m.Subject, " is complete") || strings.Contains(m.Subject, "signed by everyone")) {
			out = append(out, m)
		}
	}
	return out
}

func (s *crashScene) completionMailsArrived(parties []string) bool {
	for _, p := range parties {
		if len(s.completionMails(p)) == 0 {
			return false
		}
	}
	return true
}

// kill -9 during finalisation: the job stays "running" in the database; the next start rescues it
// after the configured delay (minutes by default, seconds here) and the document completes once.
func TestKilledDuringFinalisationCompletesOnceAfterRestart(t *testing.T) {
	s := newCrashScene(t)
	s.child.Kill()
	if st := s.finalizeStates(); st != "running" {
		t.Fatalf("after kill -9 the finalize job is %q, want it left running (nothing could record its end)", st)
	}
	s.gate.Open()
	restarted := s.start(map[string]string{"SIGNET_JOBS_RESCUE_AFTER": "3s", "SIGNET_JOBS_FINALIZE_TIMEOUT": "2s", "SIGNET_JOBS_EMAIL_TIMEOUT": "2s"})
	s.assertCompletedOnce(restarted)
}

// SIGTERM during finalisation: after the shutdown grace the job is cancelled and put back, the
// process exits 0, and the next start completes the document at once: no rescue delay involved.
func TestTerminatedDuringFinalisationCompletesOnceAfterRestart(t *testing.T) {
	s := newCrashScene(t)
	if err := s.child.Terminate(); err != nil {
		t.Fatalf("SIGTERM: exit %v, want status 0", err)
	}
	if st := s.finalizeStates(); st != "available" && st != "retryable" {
		t.Fatalf("after SIGTERM the finalize job is %q, want it put back (available or retryable)", st)
	}
	s.gate.Open()
	restarted := s.start(map[string]string{"SIGNET_JOBS_RESCUE_AFTER": "1h"})
	s.assertCompletedOnce(restarted)
}
