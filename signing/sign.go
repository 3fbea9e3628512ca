package signing

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
	"signet/pdf"
)

// MaxSignatureBytes bounds a drawn signature image.
const MaxSignatureBytes = 512 << 10

// SignInput is what a signer submits: a drawn PNG, a typed name, or both (the image wins).
type SignInput struct {
	ImagePNG  []byte
	TypedName string
	Actor     Actor
}

func (in *SignInput) validate() *ValidationError {
	in.TypedName = strings.Join(strings.Fields(clean(in.TypedName)), " ")
	f := map[string]string{}
	if len(in.ImagePNG) > 0 {
		if len(in.ImagePNG) > MaxSignatureBytes {
			f["signature"] = "The drawn signature is too large. Clear it and draw it again."
		} else if cfg, err := png.DecodeConfig(bytes.NewReader(in.ImagePNG)); err != nil || cfg.Width < 10 || cfg.Height < 10 || cfg.Width > 4000 || cfg.Height > 4000 {
			f["signature"] = "The drawn signature could not be read. Clear it and draw it again, or type your name."
		} else if err := pdf.CheckSignatureImage(in.ImagePNG); err != nil {
			// what finalisation would refuse later must be refused now, while the signer can fix it
			f["signature"] = "The drawn signature is empty or could not be used. Draw it again, or type your name."
		}
	} else if in.TypedName == "" {
		f["typed_name"] = "Type your full name to sign, or draw your signature."
	}
	if utf8.RuneCountInString(in.TypedName) > 200 {
		f["typed_name"] = "The name can be at most 200 characters."
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

// Sign records the recipient's signature; the last one of a round invites the next, the last of all finalises.
func (s *Service) Sign(ctx context.Context, token string, in SignInput) error {
	if verr := in.validate(); verr != nil {
		return verr
	}
	return s.actAsRecipient(ctx, token, "signing", func(tx *gorm.DB, st *models.Store, locked *models.Document, fresh *models.Recipient) error {
		now := s.clock()
		cols := map[string]any{"status": models.RecipientSigned, "signed_at": now, "typed_name": in.TypedName,
			"signature_image": in.ImagePNG, "ip": in.Actor.IP, "user_agent": truncate(in.Actor.UserAgent, 500)}
		if err := st.UpdateRecipient(ctx, fresh, cols); err != nil {
			return err
		}
		fresh.Status = models.RecipientSigned
		method := "typed name"
		if len(in.ImagePNG) > 0 {
			method = "drawn signature"
		}
		if err := s.audit(ctx, st, locked.ID, fresh.ID, "signed", recipientActor(fresh, in.Actor), "Signed with a "+method); err != nil {
			return err
		}
		if locked.Status == models.DocSent {
			if err := st.UpdateDocument(ctx, locked, map[string]any{"status": models.DocInProgress}); err != nil {
				return err
			}
		}
		if round := nextRound(locked.Recipients); round != 0 {
			return s.notifyRound(ctx, tx, locked, round)
		}
		return s.queue.Enqueue(ctx, tx, jobs.FinalizeArgs{DocumentID: locked.ID})
	})
}

// Decline ends the document for everyone; the sender is told why.
func (s *Service) Decline(ctx context.Context, token, reason string, a Actor) error {
	reason = strings.TrimSpace(clean(reason))
	if reason == "" {
		return &ValidationError{Fields: map[string]string{"reason": "Tell the sender why you decline."}}
	}
	if utf8.RuneCountInString(reason) > 2000 {
		return &ValidationError{Fields: map[string]string{"reason": "The reason can be at most 2000 characters."}}
	}
	return s.actAsRecipient(ctx, token, "declining", func(tx *gorm.DB, st *models.Store, locked *models.Document, fresh *models.Recipient) error {
		now := s.clock()
		if err := st.UpdateRecipient(ctx, fresh, map[string]any{"status": models.RecipientDeclined, "declined_at": now, "decline_reason": reason, "ip": a.IP, "user_agent": truncate(a.UserAgent, 500)}); err != nil {
			return err
		}
		if err := st.UpdateDocument(ctx, locked, map[string]any{"status": models.DocDeclined}); err != nil {
			return err
		}
		if err := s.audit(ctx, st, locked.ID, fresh.ID, "declined", recipientActor(fresh, a), "Reason: "+reason); err != nil {
			return err
		}
		return s.queue.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailDeclined, DocumentID: locked.ID, RecipientID: fresh.ID})
	})
}

// actAsRecipient runs fn for a verified recipient whose turn it is, with the document row locked.
func (s *Service) actAsRecipient(ctx context.Context, token, doing string, fn func(tx *gorm.DB, st *models.Store, doc *models.Document, r *models.Recipient) error) error {
	doc, r, err := s.ByToken(ctx, token)
	if err != nil {
		return err
	}
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		locked, err := st.DocumentForUpdate(ctx, doc.ID)
		if err != nil {
			return err
		}
		fresh := findRecipient(locked, r.ID)
		if err := CanAct(locked, fresh); err != nil {
			return err
		}
		if fresh.Verification != models.VerifyNone && fresh.VerifiedAt == nil {
			return stateErr("Verify your identity before %s.", doing)
		}
		return fn(tx, st, locked, fresh)
	})
}
