package signing

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
)

// Send moves a draft to sent and invites the first round of signers.
func (s *Service) Send(ctx context.Context, orgID, docID string, a Actor) error {
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		doc, err := st.DocumentForUpdate(ctx, docID)
		if err != nil || doc.OrganizationID != orgID {
			return fmt.Errorf("signing: send: %w", models.ErrNotFound)
		}
		return s.send(ctx, tx, doc, a)
	})
}

func (s *Service) send(ctx context.Context, tx *gorm.DB, doc *models.Document, a Actor) error {
	if doc.Status != models.DocDraft {
		return stateErr("This document was already sent.")
	}
	st := s.store.WithTx(tx)
	now := s.clock()
	if err := st.UpdateDocument(ctx, doc, map[string]any{"status": models.DocSent, "sent_at": now}); err != nil {
		return err
	}
	doc.Status, doc.SentAt = models.DocSent, &now
	if err := s.audit(ctx, st, doc.ID, "", "document_sent", a, ""); err != nil {
		return err
	}
	return s.notifyRound(ctx, tx, doc, nextRound(doc.Recipients))
}

// nextRound is the lowest signing order that still has a signer who has not signed (0: none).
func nextRound(rs []models.Recipient) int {
	round := 0
	for _, r := range rs {
		if r.Role == models.RoleSigner && r.Status != models.RecipientSigned && (round == 0 || r.SigningOrder < round) {
			round = r.SigningOrder
		}
	}
	return round
}

// notifyRound invites every pending recipient of a round, in the caller's transaction.
func (s *Service) notifyRound(ctx context.Context, tx *gorm.DB, doc *models.Document, round int) error {
	st := s.store.WithTx(tx)
	now := s.clock()
	for i := range doc.Recipients {
		r := &doc.Recipients[i]
		if r.SigningOrder != round || r.Status != models.RecipientPending {
			continue
		}
		if err := st.UpdateRecipient(ctx, r, map[string]any{"status": models.RecipientNotified, "notified_at": now}); err != nil {
			return err
		}
		r.Status, r.NotifiedAt = models.RecipientNotified, &now
		if err := s.audit(ctx, st, doc.ID, r.ID, "invitation_sent", Actor{Name: "Signet"}, "Invitation queued for "+r.Email); err != nil {
			return err
		}
		if err := s.queue.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailInvitation, DocumentID: doc.ID, RecipientID: r.ID}); err != nil {
			return err
		}
	}
	return nil
}

// IsTurn reports whether the recipient's round is the one being signed now.
func IsTurn(doc *models.Document, r *models.Recipient) bool {
	return r.SigningOrder == nextRound(doc.Recipients)
}
