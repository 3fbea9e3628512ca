package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"signet/models"
)

// RequireAPIKey authenticates "Authorization: Bearer <key>" or "X-API-Key: <key>".
func (h *Handler) RequireAPIKey(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		key := c.Request().Header.Get("X-API-Key")
		if auth := c.Request().Header.Get("Authorization"); key == "" && auth != "" {
			scheme, value, ok := strings.Cut(auth, " ")
			if ok && strings.EqualFold(scheme, "Bearer") {
				key = strings.TrimSpace(value)
			}
		}
		if key == "" {
			return apiErr(http.StatusUnauthorized, "unauthorized", "Send your API key as \"Authorization: Bearer <key>\" or \"X-API-Key: <key>\".")
		}
		k, err := h.Store.APIKeyByHash(c.Request().Context(), HashAPIKey(key))
		if models.IsNotFound(err) {
			return apiErr(http.StatusUnauthorized, "unauthorized", "The API key is not valid or was revoked.")
		}
		if err != nil {
			return err
		}
		c.Set("apikey", k)
		return next(c)
	}
}

func currentAPIKey(c echo.Context) *models.APIKey {
	k, _ := c.Get("apikey").(*models.APIKey)
	return k
}
