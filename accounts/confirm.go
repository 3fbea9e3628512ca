package accounts

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
)

const confirmPurpose = "confirm-email"

func (s *Service) confirmationArgs(userID string) jobs.AccountEmailArgs {
	return jobs.AccountEmailArgs{Message: jobs.AccountEmailConfirm, UserID: userID,
		ExpiresAt: s.now().Add(s.limits.ConfirmationValidity).Unix()}
}

// sendConfirmation enqueues a fresh confirmation link for an unconfirmed account.
func (s *Service) sendConfirmation(ctx context.Context, userID string) error {
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		return s.queue.Enqueue(ctx, tx, s.confirmationArgs(userID))
	})
}

// confirmationToken is user id and expiry signed with the server key; confirming is idempotent,
// so a link that was used already only says the address is confirmed.
func (s *Service) confirmationToken(userID string, expiresAt int64) string {
	return s.signer.sign(confirmPurpose, userID, strconv.FormatInt(expiresAt, 10))
}

// ConfirmURL is the link a confirmation email carries.
func (s *Service) confirmURL(userID string, expiresAt int64) string {
	return s.baseURL + "/confirm?token=" + url.QueryEscape(s.confirmationToken(userID, expiresAt))
}

// CheckConfirmation tells whether a token is valid, without changing anything (mail scanners
// open links; only the confirmation form's POST confirms).
func (s *Service) CheckConfirmation(token string) error {
	_, err := s.tokenUser(token)
	return err
}

// Confirm marks the token's account as confirmed and returns it.
func (s *Service) Confirm(ctx context.Context, token string) (*models.User, error) {
	userID, err := s.tokenUser(token)
	if err != nil {
		return nil, err
	}
	if err := s.store.ConfirmUser(ctx, userID, s.now()); err != nil {
		if models.IsNotFound(err) {
			return nil, ErrInvalidToken
		}
		return nil, err
	}
	return s.store.UserByID(ctx, userID)
}

func (s *Service) tokenUser(token string) (string, error) {
	parts, ok := s.signer.open(confirmPurpose, token, 2)
	if !ok {
		return "", ErrInvalidToken
	}
	exp, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || s.now().After(time.Unix(exp, 0)) {
		return "", fmt.Errorf("accounts: confirmation link expired: %w", ErrInvalidToken)
	}
	return parts[0], nil
}
