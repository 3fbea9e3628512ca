package signing

import "signet/models"

// Audit events written by background jobs, as stored in the audit trail.
const (
	// EventEmailDelivered: the mail server accepted a message (written after SMTP, never before).
	EventEmailDelivered = "email_delivered"
	// EventEmailFailed: a message could not be delivered and will not be retried.
	EventEmailFailed = "email_failed"
	// EventDocumentCompleted: the signed PDF is stored; written once per document.
	EventDocumentCompleted = "document_completed"
)

// UndeliveredEmails lists, for the sender, each recipient's latest delivery failure that no later
// delivery to the same recipient has made good (the sender's own notices have no recipient id).
func UndeliveredEmails(events []models.AuditEvent) []string {
	latest := map[string]int{}
	var order []string
	for i, e := range events {
		if e.Event != EventEmailFailed && e.Event != EventEmailDelivered {
			continue
		}
		if _, seen := latest[e.RecipientID]; !seen {
			order = append(order, e.RecipientID)
		}
		latest[e.RecipientID] = i
	}
	var out []string
	for _, k := range order {
		if e := events[latest[k]]; e.Event == EventEmailFailed {
			out = append(out, e.Details)
		}
	}
	return out
}
