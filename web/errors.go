package web

import (
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"signet/handlers"
	"signet/views"
	"signet/views/layouts"
)

// errorHandler is the one place that turns errors into responses: JSON under /api/, pages elsewhere.
func errorHandler(logger *slog.Logger, h *handlers.Handler) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		e := handlers.Classify(err)
		if e.Status == http.StatusRequestEntityTooLarge && c.Request().Method == http.MethodPost && c.Request().URL.Path == "/documents" {
			if werr := h.UploadTooLarge(c); werr == nil {
				return
			}
		}
		if e.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(e.RetryAfter.Seconds()))))
		}
		if e.Status == http.StatusServiceUnavailable {
			logger.Warn("request refused: server busy", "route", c.Path(), "method", c.Request().Method, "err", err) // a deliberate refusal under load, not a fault
		} else if e.Status >= 500 {
			logger.Error("request failed", "route", c.Path(), "method", c.Request().Method, "err", err)
		}
		var werr error
		if strings.HasPrefix(c.Request().URL.Path, "/api/") {
			werr = c.JSON(e.Status, map[string]any{"error": e})
		} else if c.Request().Method == http.MethodHead {
			werr = c.NoContent(e.Status)
		} else {
			werr = handlers.Render(c, e.Status, views.Error(layouts.Page{Title: heading(e.Status), CSRF: handlers.CurrentCSRFToken(c)}, e.Status, heading(e.Status), e.Message))
		}
		if werr != nil {
			logger.Error("unable to write error response", "err", werr)
		}
	}
}

func heading(status int) string {
	switch status {
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusForbidden:
		return "Not allowed"
	case http.StatusConflict:
		return "That cannot be done now"
	case http.StatusRequestEntityTooLarge:
		return "Too large"
	case http.StatusTooManyRequests:
		return "Please wait a moment"
	case http.StatusServiceUnavailable:
		return "Signet is busy"
	}
	if status >= 500 {
		return "Something went wrong"
	}
	return "That did not work"
}
