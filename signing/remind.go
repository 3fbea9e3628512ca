package signing

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
)

// ReminderCooldown keeps a sender from flooding a recipient's inbox.
const ReminderCooldown = 10 * time.Minute

// Remind emails the invitation again to a recipient whose turn it is and who has not signed.
func (s *Service) Remind(ctx context.Context, orgID, docID, recipientID string, a Actor) error {
	return s.senderActsOnRecipient(ctx, orgID, docID, recipientID, func(tx *gorm.DB, st *models.Store, doc *models.Document, r *models.Recipient) error {
		if err := CanAct(doc, r); err != nil {
			return stateErr("No reminder can be sent: %s", lowerFirst(err.Error()))
		}
		if r.Status == models.RecipientPending {
			return stateErr("%s has not been invited yet.", r.Name)
		}
		last, err := st.LastAuditEventAt(ctx, doc.ID, r.ID, "invitation_sent", "reminder_sent")
		if err != nil {
			return err
		}
		now := s.clock()
		if wait := last.Add(ReminderCooldown).Sub(now); !last.IsZero() && wait > 0 {
			return &RateLimitError{Message: fmt.Sprintf("%s was emailed a few minutes ago. You can send a reminder in %d minutes.", r.Name, int(wait.Minutes())+1), RetryAfter: wait}
		}
		if err := s.audit(ctx, st, doc.ID, r.ID, "reminder_sent", a, "Reminder queued for "+r.Email); err != nil {
			return err
		}
		return s.queue.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailReminder, DocumentID: doc.ID, RecipientID: r.ID})
	})
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
