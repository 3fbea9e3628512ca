package accounts

import (
	"errors"
	"fmt"
	"time"
)

// busyRetryAfter is what a refused request is told when every hashing slot is taken.
const busyRetryAfter = 5 * time.Second

var (
	// ErrBadCredentials: the email is unknown or the password is wrong (never said which).
	ErrBadCredentials = errors.New("accounts: the email or password is not right")
	// ErrUnconfirmed: the password was right but the owner has not opened the confirmation link.
	ErrUnconfirmed = errors.New("accounts: the email address is not confirmed yet")
	// ErrInvalidToken: a confirmation link that was altered, belongs to nobody, or expired.
	ErrInvalidToken = errors.New("accounts: the confirmation link is not valid")
)

// Throttle codes say which limit refused a request.
const (
	CodeLoginThrottled  = "login_throttled"
	CodeSignupThrottled = "signup_throttled"
)

// ThrottledError refuses a request because a limit's window is full (HTTP 429).
type ThrottledError struct {
	Code       string
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("accounts: %s, retry after %s", e.Code, e.RetryAfter)
}

// BusyError refuses a request because every hashing slot stayed taken (HTTP 503).
type BusyError struct{ RetryAfter time.Duration }

func (e *BusyError) Error() string { return "accounts: every password-hashing slot is busy" }

// Password policy codes.
const (
	CodePasswordTooShort  = "password_too_short"
	CodePasswordTooLong   = "password_too_long"
	CodePasswordBreached  = "password_breached"
	CodePasswordGuessable = "password_guessable"
)

// PasswordError says why a new password was refused.
type PasswordError struct{ Code string }

func (e *PasswordError) Error() string { return "accounts: password refused: " + e.Code }
