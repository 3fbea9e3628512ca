package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"signet/handlers"
	"signet/models"
	"signet/views"
	"signet/views/layouts"
)

// sessionError answers for errors the session middleware meets outside Echo: a full pool is
// 503 with Retry-After like everywhere else, anything else 500.
func sessionError(logger *slog.Logger) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		status, code, msg := http.StatusInternalServerError, "internal_error", "Something went wrong on our side. Please try again."
		if errors.Is(err, models.ErrBusy) {
			status, code, msg = http.StatusServiceUnavailable, "busy", "Signet is very busy right now. Please try again in a few seconds."
			w.Header().Set("Retry-After", strconv.Itoa(int(handlers.BusyRetryAfter.Seconds())))
			logger.Warn("request refused: database pool exhausted", "method", r.Method)
		} else {
			logger.Error("session store failed", "method", r.Method, "err", err)
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": handlers.APIError{Code: code, Message: msg}})
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(status)
		_ = views.Error(layouts.Page{Title: heading(status)}, status, heading(status), msg).Render(r.Context(), w)
	}
}
