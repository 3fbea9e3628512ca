package signing

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
)

// Cancel withdraws a document that is not finished; invited recipients are told and their links stop working.
func (s *Service) Cancel(ctx context.Context, orgID, docID, reason string, a Actor) error {
	reason = strings.TrimSpace(clean(reason))
	if utf8.RuneCountInString(reason) > 2000 {
		return &ValidationError{Fields: map[string]string{"reason": "The reason can be at most 2000 characters."}}
	}
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		doc, err := st.DocumentForUpdate(ctx, docID)
		if err != nil || doc.OrganizationID != orgID {
			return fmt.Errorf("signing: cancel: %w", models.ErrNotFound)
		}
		switch {
		case doc.Status == models.DocInProgress && nextRound(doc.Recipients) == 0:
			return stateErr("Everyone has signed: the signed PDF is being prepared and the document can no longer be cancelled.")
		case doc.Status == models.DocDraft, doc.Status == models.DocSent, doc.Status == models.DocInProgress:
		default:
			return stateErr("A %s document cannot be cancelled.", strings.ReplaceAll(doc.Status, "_", " "))
		}
		if err := st.UpdateDocument(ctx, doc, map[string]any{"status": models.DocCancelled}); err != nil {
			return err
		}
		if err := s.audit(ctx, st, doc.ID, "", "document_cancelled", a, reasonDetail(reason)); err != nil {
			return err
		}
		for _, r := range doc.Recipients {
			if r.Status == models.RecipientPending || r.Status == models.RecipientDeclined {
				continue // never invited, or already out
			}
			if err := s.queue.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailCancelled, DocumentID: doc.ID, RecipientID: r.ID, Reason: reason}); err != nil {
				return err
			}
		}
		return nil
	})
}

func reasonDetail(reason string) string {
	if reason == "" {
		return ""
	}
	return "Reason: " + reason
}
