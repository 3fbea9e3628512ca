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

// CheckConfirmation returns the email a valid token confirms, without changing anything (mail
// scanners open links; only the confirmation form's POST confirms).
func (s *Service) CheckConfirmation(ctx context.Context, token string) (string, error) {
	userID, err := s.tokenUser(token)
	if err != nil {
		return "", err
	}
	u, err := s.store.UserByID(ctx, userID)
	if models.IsNotFound(err) {
		return "", ErrInvalidToken
	} else if err != nil {
		return "", err
	}
	return u.Email, nil
}

// ConfirmInput is a press of the confirmation button: the link's token and the password
// chosen at sign-up, so a link alone (say, to an account someone else created with your
// address) confirms nothing.
type ConfirmInput struct {
	Token, Password, IP, DeviceCookie string
}

// Confirm checks the token and the password (throttled like a log-in), marks the account as
// confirmed and logs its owner in.
func (s *Service) Confirm(ctx context.Context, in ConfirmInput) (*LoginResult, error) {
	userID, err := s.tokenUser(in.Token)
	if err != nil {
		return nil, err
	}
	u, err := s.store.UserByID(ctx, userID)
	if models.IsNotFound(err) {
		return nil, ErrInvalidToken
	} else if err != nil {
		return nil, err
	}
	res, err := s.authenticate(ctx, LoginInput{Email: u.Email, Password: in.Password, IP: in.IP, DeviceCookie: in.DeviceCookie})
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := s.store.ConfirmUser(ctx, userID, now); err != nil {
		return nil, err
	}
	if res.User.ConfirmedAt == nil {
		res.User.ConfirmedAt = &now
	}
	return res, nil
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
