package signing

import (
	"errors"
	"fmt"
	"time"
)

// ErrWrongState means the document or recipient is not in a state that allows the action.
var ErrWrongState = errors.New("signing: not allowed in the current state")

// StateError explains a refused action in words a person understands.
type StateError struct{ Message string }

func (e *StateError) Error() string { return e.Message }
func (e *StateError) Unwrap() error { return ErrWrongState }

func stateErr(format string, a ...any) error { return &StateError{Message: fmt.Sprintf(format, a...)} }

// ValidationError carries one message per invalid field.
type ValidationError struct{ Fields map[string]string }

func (e *ValidationError) Error() string { return fmt.Sprintf("signing: invalid input: %v", e.Fields) }

// RateLimitError means the caller must wait before trying again.
type RateLimitError struct {
	Message    string
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string { return e.Message }

// CodeError is a refused verification code, with how many tries remain on it.
type CodeError struct {
	Message      string
	AttemptsLeft int
}

func (e *CodeError) Error() string { return e.Message }

// LockedError means the recipient made too many wrong tries and must wait or ask the sender.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return "Too many wrong codes. For your security, verification is locked until " + e.Until.UTC().Format("15:04 MST") + ". Ask the sender to unlock it sooner."
}
