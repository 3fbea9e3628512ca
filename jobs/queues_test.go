package jobs_test

import (
	"testing"

	"gorm.io/gorm"

	"signet/jobs"
)

// Each message kind goes to the queue of its urgency.
func TestEmailQueues(t *testing.T) {
	for message, want := range map[string]string{
		jobs.EmailCode: jobs.QueueInteractive, jobs.EmailInvitation: jobs.QueueInteractive, jobs.EmailReminder: jobs.QueueInteractive,
		jobs.EmailCompletedSigner: jobs.QueueMail, jobs.EmailCompletedSender: jobs.QueueMail, jobs.EmailDeclined: jobs.QueueMail, jobs.EmailCancelled: jobs.QueueMail,
	} {
		if got := (jobs.EmailArgs{Message: message}).InsertOpts().Queue; got != want {
			t.Errorf("%s email in queue %q, want %q", message, got, want)
		}
	}
	if got := (jobs.FinalizeArgs{}).InsertOpts().Queue; got != jobs.QueueFinalize {
		t.Errorf("finalize in queue %q", got)
	}
}

// Asking twice for the same finalisation (a double click on retry) queues one job; a new retry
// after a new failure queues another.
func TestDuplicateFinalizeRequestIsDropped(t *testing.T) {
	q, db := newQueue(t)
	for _, after := range []string{"f1", "f1", "f2"} {
		err := q.Transact(t.Context(), func(tx *gorm.DB) error {
			return q.Enqueue(t.Context(), tx, jobs.FinalizeArgs{DocumentID: "d1", AfterFailure: after})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := jobCount(t, db); n != 2 {
		t.Fatalf("%d finalize jobs, want 2 (one per failure retried)", n)
	}
}
