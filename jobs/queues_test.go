package jobs_test

import (
	"testing"

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
