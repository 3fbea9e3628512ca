package handlers

import (
	"errors"
	"math"
	"strconv"

	"github.com/labstack/echo/v4"

	"signet/pdf"
	"signet/signing"
)

// busyRetryAfter is what a refusal for lack of a free PDF worker asks the client to wait, in seconds.
const busyRetryAfter = 30

// setRetryAfter tells clients refused for load when to try again (RFC 9110 §10.2.3), in whole seconds.
func setRetryAfter(c echo.Context, err error) {
	var rl *signing.RateLimitError
	switch {
	case errors.As(err, &rl) && rl.RetryAfter > 0:
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(rl.RetryAfter.Seconds()))))
	case errors.Is(err, pdf.ErrBusy):
		c.Response().Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
	}
}
