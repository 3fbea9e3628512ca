package signing

// Audit events written by background jobs, as stored in the audit trail.
const (
	// EventEmailDelivered: the mail server accepted a message (written after SMTP, never before).
	EventEmailDelivered = "email_delivered"
	// EventEmailFailed: a message could not be delivered and will not be retried.
	EventEmailFailed = "email_failed"
	// EventDocumentCompleted: the signed PDF is stored; written once per document.
	EventDocumentCompleted = "document_completed"
)
