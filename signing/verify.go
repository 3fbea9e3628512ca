package signing

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
	"signet/otp"
)

// SendCode creates a one-time code for the recipient and emails it (as a job).
func (s *Service) SendCode(ctx context.Context, token string, a Actor) error {
	doc, r, err := s.ByToken(ctx, token)
	if err != nil {
		return err
	}
	if r.Verification != models.VerifyEmailOTP {
		return stateErr("This document does not need a verification code.")
	}
	if err := CanVerify(doc, r); err != nil {
		return err
	}
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		locked, err := st.DocumentForUpdate(ctx, doc.ID)
		if err != nil {
			return err
		}
		fresh := findRecipient(locked, r.ID)
		if err := CanVerify(locked, fresh); err != nil {
			return err
		}
		now := s.clock()
		if fresh.LockedUntil != nil && fresh.LockedUntil.After(now) {
			return &LockedError{Until: *fresh.LockedUntil}
		}
		if err := s.checkSendLimits(ctx, st, fresh.ID, a.IP, now); err != nil {
			return err
		}
		code, err := otp.Generate(s.policy.Digits)
		if err != nil {
			return err
		}
		c := &models.Challenge{ID: models.NewID(), RecipientID: fresh.ID, Channel: models.VerifyEmailOTP, IP: a.IP, ExpiresAt: now.Add(s.policy.Validity), CreatedAt: now}
		c.CodeHash = s.hasher.Hash(c.ID, code)
		if err := st.CreateChallenge(ctx, c); err != nil {
			return err
		}
		sealed, err := s.keys.Seal(code)
		if err != nil {
			return err
		}
		if err := s.audit(ctx, st, doc.ID, fresh.ID, "code_sent", recipientActor(fresh, a), "Verification code queued for "+maskEmail(fresh.Email)); err != nil {
			return err
		}
		return s.queue.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailCode, DocumentID: doc.ID, RecipientID: fresh.ID, SealedCode: sealed})
	})
}

func (s *Service) checkSendLimits(ctx context.Context, st *models.Store, recipientID, ip string, now time.Time) error {
	last, err := st.LastChallengeAt(ctx, recipientID)
	if err != nil {
		return err
	}
	if wait := last.Add(s.policy.ResendCooldown).Sub(now); !last.IsZero() && wait > 0 {
		secs := int(wait.Seconds()) + 1
		return &RateLimitError{Message: fmt.Sprintf("A code was just sent. You can ask for a new one in %d seconds.", secs), RetryAfter: wait}
	}
	n, err := st.CountChallengesSince(ctx, recipientID, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	if n >= s.policy.MaxSendsPerHour {
		return &RateLimitError{Message: "Too many codes were sent in the last hour. Please try again later.", RetryAfter: time.Hour}
	}
	if ip == "" {
		return nil
	}
	n, err = st.CountChallengesFromIPForRecipientSince(ctx, ip, recipientID, now.Add(-time.Hour))
	if err != nil {
		return err
	}
	if n >= s.policy.MaxSendsPerIPRecipientHour {
		return &RateLimitError{Message: "Too many codes for this signer were requested from your network. Please try again later.", RetryAfter: time.Hour}
	}
	if n, err = st.CountChallengesFromIPSince(ctx, ip, now.Add(-time.Hour)); err != nil {
		return err
	}
	if n >= s.policy.MaxSendsPerIPHour {
		return &RateLimitError{Message: "Too many codes were requested from your network. Please try again later.", RetryAfter: time.Hour}
	}
	return nil
}

// VerifyCode checks a submitted code; exactly one of several concurrent right answers succeeds.
func (s *Service) VerifyCode(ctx context.Context, token, code string, a Actor) (*models.Recipient, error) {
	doc, r, err := s.ByToken(ctx, token)
	if err != nil {
		return nil, err
	}
	if err := CanVerify(doc, r); err != nil {
		return nil, err
	}
	now := s.clock()
	if r.LockedUntil != nil && r.LockedUntil.After(now) {
		return nil, &LockedError{Until: *r.LockedUntil}
	}
	c, err := s.store.ActiveChallenge(ctx, r.ID)
	if models.IsNotFound(err) {
		return nil, &CodeError{Message: "There is no active code. Press “Send verification code” to get one."}
	}
	if err != nil {
		return nil, err
	}
	if !c.ExpiresAt.After(now) {
		return nil, &CodeError{Message: "This code has expired. Send a new one."}
	}
	if c.Attempts >= s.policy.MaxAttempts {
		return nil, &CodeError{Message: "This code can no longer be used after too many wrong tries. Send a new one."}
	}
	normalized := otp.Normalize(code)
	if normalized == "" || !s.hasher.Equal(c.ID, normalized, c.CodeHash) {
		return nil, s.recordWrongCode(ctx, doc, r, c, a)
	}
	var won bool
	err = s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		locked, err := st.DocumentForUpdate(ctx, doc.ID)
		if err != nil {
			return err
		}
		fresh := findRecipient(locked, r.ID)
		if err := CanVerify(locked, fresh); err != nil {
			return err // signed, declined or cancelled meanwhile
		}
		if fresh.LockedUntil != nil && fresh.LockedUntil.After(now) {
			return &LockedError{Until: *fresh.LockedUntil} // a concurrent wrong code locked them first
		}
		if won, err = st.ConsumeChallenge(ctx, c.ID, s.policy.MaxAttempts, now); err != nil || !won {
			return err
		}
		if fresh.Status == models.RecipientSigned { // back for the signed copy: the signing record stays as it was
			return s.audit(ctx, st, doc.ID, r.ID, "identity_verified", recipientActor(r, a), "Email code verified to download the signed PDF")
		}
		if err := st.UpdateRecipient(ctx, fresh, map[string]any{"status": models.RecipientVerified, "verified_at": now}); err != nil {
			return err
		}
		return s.audit(ctx, st, doc.ID, r.ID, "identity_verified", recipientActor(r, a), "Email code verified")
	})
	if err != nil {
		return nil, err
	}
	if !won {
		return nil, &CodeError{Message: "This code was already used. Send a new one."}
	}
	return s.store.RecipientByID(ctx, r.ID)
}

// recordWrongCode counts a failure on the code and on the recipient, locking them when the policy says so.
func (s *Service) recordWrongCode(ctx context.Context, doc *models.Document, r *models.Recipient, c *models.Challenge, a Actor) error {
	var result error
	err := s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		if _, err := st.DocumentForUpdate(ctx, doc.ID); err != nil {
			return err
		}
		// re-read under the lock: concurrent wrong codes must not count past the limits
		fresh, err := st.RecipientByID(ctx, r.ID)
		if err != nil {
			return err
		}
		now := s.clock()
		if fresh.LockedUntil != nil && fresh.LockedUntil.After(now) {
			result = &LockedError{Until: *fresh.LockedUntil}
			return nil
		}
		current, err := st.ChallengeByID(ctx, c.ID)
		if err != nil {
			return err
		}
		if current.Attempts >= s.policy.MaxAttempts || current.ConsumedAt != nil || current.SupersededAt != nil {
			result = &CodeError{Message: "That code is not right, and it can no longer be used. Send a new code."}
			return nil
		}
		attempts, err := st.AddChallengeAttempt(ctx, c.ID)
		if err != nil {
			return err
		}
		cols := map[string]any{}
		failures := fresh.FailedAttempts + 1
		if fresh.FailureWindowStart == nil || now.Sub(*fresh.FailureWindowStart) >= s.policy.LockoutWindow {
			failures = 1
			cols["failure_window_start"] = now
		}
		cols["failed_attempts"] = failures
		details := fmt.Sprintf("Wrong code (%d of %d on this code)", attempts, s.policy.MaxAttempts)
		if failures >= s.policy.LockoutFailures {
			until := now.Add(s.policy.LockoutDuration)
			cols["locked_until"] = until
			details += "; verification locked until " + until.Format(time.RFC3339)
			result = &LockedError{Until: until}
		}
		if err := st.UpdateRecipient(ctx, fresh, cols); err != nil {
			return err
		}
		if result == nil {
			left := max(s.policy.MaxAttempts-attempts, 0)
			msg := fmt.Sprintf("That code is not right. %d tries left.", left)
			if left == 1 {
				msg = "That code is not right. 1 try left."
			}
			if left == 0 {
				msg = "That code is not right, and it can no longer be used. Send a new code."
			}
			result = &CodeError{Message: msg, AttemptsLeft: left}
		}
		return s.audit(ctx, st, doc.ID, r.ID, "code_failed", recipientActor(r, a), details)
	})
	if err != nil {
		return err
	}
	return result
}

// Unlock lets a sender clear a recipient's lockout.
func (s *Service) Unlock(ctx context.Context, orgID, docID, recipientID string, a Actor) error {
	return s.senderActsOnRecipient(ctx, orgID, docID, recipientID, func(tx *gorm.DB, st *models.Store, doc *models.Document, r *models.Recipient) error {
		if err := st.UpdateRecipient(ctx, r, map[string]any{"locked_until": nil, "failed_attempts": 0, "failure_window_start": nil}); err != nil {
			return err
		}
		return s.audit(ctx, st, doc.ID, r.ID, "recipient_unlocked", a, "")
	})
}

func recipientActor(r *models.Recipient, a Actor) Actor {
	return Actor{Name: r.Name + " <" + r.Email + ">", IP: a.IP, UserAgent: a.UserAgent}
}

// maskEmail shows enough of an address to recognise it: j***@example.com.
func maskEmail(e string) string {
	at := -1
	for i := len(e) - 1; i >= 0; i-- {
		if e[i] == '@' {
			at = i
			break
		}
	}
	if at <= 0 {
		return "***"
	}
	return e[:1] + "***" + e[at:]
}

// MaskEmail is maskEmail for pages that show where a code went.
func MaskEmail(e string) string { return maskEmail(e) }

// senderActsOnRecipient runs fn with the organization's document locked and one of its recipients;
// another organization's ids are indistinguishable from missing ones.
func (s *Service) senderActsOnRecipient(ctx context.Context, orgID, docID, recipientID string, fn func(tx *gorm.DB, st *models.Store, doc *models.Document, r *models.Recipient) error) error {
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		doc, err := st.DocumentForUpdate(ctx, docID)
		if err != nil || doc.OrganizationID != orgID {
			return fmt.Errorf("signing: document %s: %w", docID, models.ErrNotFound)
		}
		r := findRecipient(doc, recipientID)
		if r == nil {
			return fmt.Errorf("signing: recipient %s: %w", recipientID, models.ErrNotFound)
		}
		return fn(tx, st, doc, r)
	})
}
