package handlers

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"signet/pdf"
	"signet/signing"
)

// busyRetryAfter is what a refusal for lack of a free PDF worker asks the client to wait, in seconds.
const busyRetryAfter = 30

// setRetryAfter tells clients refused for load when to try again (RFC 9110 §10.2.3), in whole seconds.
func setRetryAfter(c echo.Context, d time.Duration) {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(d.Seconds()))))
}

// setRetryAfterFor sets Retry-After from a rate-limit or busy error, and nothing for other errors.
func setRetryAfterFor(c echo.Context, err error) {
	var rl *signing.RateLimitError
	switch {
	case errors.As(err, &rl) && rl.RetryAfter > 0:
		setRetryAfter(c, rl.RetryAfter)
	case errors.Is(err, pdf.ErrBusy):
		setRetryAfter(c, busyRetryAfter*time.Second)
	}
}
