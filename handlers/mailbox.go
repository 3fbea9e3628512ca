package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"signet/views/sender"
)

// Mailbox shows the organization's undelivered emails (dev mode only).
func (h *Handler) Mailbox(c echo.Context) error {
	if !h.DevMailbox {
		return echo.NewHTTPError(http.StatusNotFound)
	}
	msgs, err := h.Store.DevMessages(c.Request().Context(), currentUser(c).OrganizationID, 100)
	if err != nil {
		return err
	}
	return Render(c, http.StatusOK, sender.Mailbox(h.Page(c, "Dev mailbox", "mailbox"), msgs))
}
