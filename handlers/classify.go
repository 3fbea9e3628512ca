package handlers

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"signet/models"
	"signet/signing"
	"signet/storage"
)

// BusyRetryAfter is how long clients are asked to wait when every database connection is in use.
const BusyRetryAfter = 2 * time.Second

// Classify maps any error a handler returns to what the person or integrator is told.
func Classify(err error) *APIError {
	var (
		ae     *APIError
		he     *echo.HTTPError
		verr   *signing.ValidationError
		se     *signing.StateError
		rl     *signing.RateLimitError
		locked *signing.LockedError
		ce     *signing.CodeError
	)
	switch {
	case errors.As(err, &ae):
		return ae
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok && s != "" {
			msg = s
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			msg = "The upload is too large."
		}
		return &APIError{Status: he.Code, Code: APICodeForStatus(he.Code), Message: msg}
	case errors.Is(err, models.ErrBusy):
		return &APIError{Status: http.StatusServiceUnavailable, Code: "busy", RetryAfter: BusyRetryAfter,
			Message: "Signet is very busy right now. Please try again in a few seconds."}
	case errors.Is(err, models.ErrNotFound), errors.Is(err, storage.ErrNotFound):
		return &APIError{Status: http.StatusNotFound, Code: "not_found", Message: "Not found."}
	case errors.As(err, &verr):
		return &APIError{Status: http.StatusUnprocessableEntity, Code: "invalid", Message: "Some fields are not valid.", Fields: verr.Fields}
	case errors.As(err, &se):
		return &APIError{Status: http.StatusConflict, Code: "conflict", Message: se.Message}
	case errors.As(err, &rl):
		return &APIError{Status: http.StatusTooManyRequests, Code: "rate_limited", Message: rl.Message, RetryAfter: rl.RetryAfter}
	case errors.As(err, &locked):
		return &APIError{Status: http.StatusTooManyRequests, Code: "locked", Message: locked.Error()}
	case errors.As(err, &ce):
		return &APIError{Status: http.StatusUnprocessableEntity, Code: "invalid_code", Message: ce.Message, Fields: map[string]string{"code": ce.Message}}
	case isPDFError(err):
		status := uploadStatus(err)
		return &APIError{Status: status, Code: APICodeForStatus(status), Message: pdfMessage(err)}
	}
	return &APIError{Status: http.StatusInternalServerError, Code: "internal_error", Message: "Something went wrong on our side. Please try again."}
}
