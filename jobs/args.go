// Package jobs holds the River client, its queues and the argument types of Signet's background jobs.
package jobs

import (
	"github.com/riverqueue/river"
)

// Messages carried by EmailArgs.
const (
	EmailInvitation      = "invitation"
	EmailCode            = "code"
	EmailCompletedSigner = "completed_signer"
	EmailCompletedSender = "completed_sender"
	EmailDeclined        = "declined"
	EmailCancelled       = "cancelled"
	EmailReminder        = "reminder"
)

// EmailArgs asks for one email about a document to be built and delivered.
type EmailArgs struct {
	Message     string `json:"message"`
	DocumentID  string `json:"document_id"`
	RecipientID string `json:"recipient_id,omitempty"`
	UserID      string `json:"user_id,omitempty"`
	// SealedCode is the OTP encrypted with the server key: the jobs table never holds a plain code.
	SealedCode []byte `json:"sealed_code,omitempty"`
	// Reason is the sender's own words, for cancellation notices.
	Reason string `json:"reason,omitempty"`
}

// Kind names the job for River.
func (EmailArgs) Kind() string { return "email" }

// InsertOpts puts mail a person is waiting for in the interactive queue, notices in the mail queue.
func (a EmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: EmailQueue(a.Message)}
}

// EmailQueue is the queue that carries a message kind.
func EmailQueue(message string) string {
	switch message {
	case EmailCode, EmailInvitation, EmailReminder:
		return QueueInteractive
	default:
		return QueueMail
	}
}

// FinalizeArgs asks for a fully signed document to be stamped, given its audit page and stored.
type FinalizeArgs struct {
	DocumentID string `json:"document_id" river:"unique"`
	// AfterFailure is the audit event of the failure a sender's retry answers: each retry is a new
	// job, a double click is not.
	AfterFailure string `json:"after_failure,omitempty" river:"unique"`
}

// Kind names the job for River.
func (FinalizeArgs) Kind() string { return "finalize" }

// InsertOpts: one finalisation per document (and per retry); a duplicate is dropped by River.
func (FinalizeArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueFinalize, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}
