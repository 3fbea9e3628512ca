package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/skip2/go-qrcode"

	"signet/models"
)

// RecipientQR is a QR code of a recipient's signing link, for signing on a phone held up to the screen.
func (h *Handler) RecipientQR(c echo.Context) error {
	doc, err := h.Store.Document(c.Request().Context(), currentUser(c).OrganizationID, c.Param("id"))
	if err != nil {
		return err
	}
	for _, r := range doc.Recipients {
		if r.ID != c.Param("rid") {
			continue
		}
		png, err := qrcode.Encode(h.Signing.SigningURL(r.ID), qrcode.Medium, 320)
		if err != nil {
			return fmt.Errorf("handlers: unable to draw QR code: %w", err)
		}
		c.Response().Header().Set("Cache-Control", "no-store") // the picture holds a secret link
		return c.Blob(http.StatusOK, "image/png", png)
	}
	return fmt.Errorf("handlers: recipient %s: %w", c.Param("rid"), models.ErrNotFound)
}
