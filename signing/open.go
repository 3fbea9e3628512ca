package signing

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"signet/models"
)

// OpenLink finds the recipient of a signing link and records the first opening; it never sends anything.
func (s *Service) OpenLink(ctx context.Context, token string, a Actor) (*models.Document, *models.Recipient, error) {
	doc, r, err := s.ByToken(ctx, token)
	if err != nil || r.OpenedAt != nil {
		return doc, r, err
	}
	err = s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		locked, err := st.DocumentForUpdate(ctx, doc.ID)
		if err != nil {
			return err
		}
		fresh := findRecipient(locked, r.ID)
		if fresh == nil || fresh.OpenedAt != nil {
			return nil
		}
		now := s.clock()
		cols := map[string]any{"opened_at": now}
		if fresh.Status == models.RecipientNotified || fresh.Status == models.RecipientPending {
			cols["status"] = models.RecipientOpened
		}
		if err := st.UpdateRecipient(ctx, fresh, cols); err != nil {
			return err
		}
		return s.audit(ctx, st, doc.ID, r.ID, "link_opened", Actor{Name: r.Name + " <" + r.Email + ">", IP: a.IP, UserAgent: a.UserAgent}, "")
	})
	if err != nil {
		return nil, nil, err
	}
	return s.ByToken(ctx, token)
}

// ByToken resolves a signing link without recording anything.
func (s *Service) ByToken(ctx context.Context, token string) (*models.Document, *models.Recipient, error) {
	if len(token) < 40 || len(token) > 64 {
		return nil, nil, fmt.Errorf("signing: link: %w", models.ErrNotFound)
	}
	r, err := s.store.RecipientByTokenHash(ctx, HashToken(token))
	if err != nil {
		return nil, nil, err
	}
	doc, err := s.store.Document(ctx, r.OrganizationID, r.DocumentID)
	if err != nil {
		return nil, nil, err
	}
	return doc, findRecipient(doc, r.ID), nil
}

func findRecipient(doc *models.Document, id string) *models.Recipient {
	for i := range doc.Recipients {
		if doc.Recipients[i].ID == id {
			return &doc.Recipients[i]
		}
	}
	return nil
}

// CanAct says why a recipient may not verify or sign right now (nil: they may).
func CanAct(doc *models.Document, r *models.Recipient) error {
	switch doc.Status {
	case models.DocSent, models.DocInProgress:
	case models.DocCompleted:
		return stateErr("This document is already complete.")
	case models.DocDeclined:
		return stateErr("This document was declined and can no longer be signed.")
	case models.DocDraft:
		return stateErr("This document has not been sent yet.")
	default:
		return stateErr("This document is %s and can no longer be signed.", doc.Status)
	}
	switch r.Status {
	case models.RecipientSigned:
		return stateErr("You have already signed this document.")
	case models.RecipientDeclined:
		return stateErr("You declined to sign this document.")
	}
	if !IsTurn(doc, r) {
		return stateErr("It is not your turn yet: you will get an email when the people before you have signed.")
	}
	return nil
}

// CanView says why a recipient may not see the document now (nil: they may): before their round
// a link-only recipient, whose link opens everything at once, must see nothing yet.
func CanView(doc *models.Document, r *models.Recipient) error {
	if r.Status == models.RecipientSigned || r.Status == models.RecipientDeclined || doc.Status == models.DocCompleted {
		return nil // they had their turn
	}
	return CanAct(doc, r)
}

// CanVerify says why a recipient may not verify now: to act, or, once signed, to fetch the signed copy.
func CanVerify(doc *models.Document, r *models.Recipient) error {
	if r.Status == models.RecipientSigned && doc.Status == models.DocCompleted {
		return nil
	}
	return CanAct(doc, r)
}
