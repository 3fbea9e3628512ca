package handlers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"signet/models"
	"signet/signing"
	"signet/views/sender"
)

// apiKeyPrefix marks Signet keys so secret scanners can recognise them.
const apiKeyPrefix = "sgn_"

// HashAPIKey is what the database keeps of a key; keys are 256-bit random, so SHA-256 suffices.
func HashAPIKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// NewAPIKey creates and stores a key for a user, returning the secret (shown once).
func NewAPIKey(ctx context.Context, store *models.Store, u *models.User, name string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("handlers: unable to read randomness: %w", err)
	}
	key := apiKeyPrefix + base64.RawURLEncoding.EncodeToString(b)
	k := &models.APIKey{OrganizationID: u.OrganizationID, UserID: u.ID, Name: name, Prefix: key[:12], Hash: HashAPIKey(key)}
	if err := store.CreateAPIKey(ctx, k); err != nil {
		return "", err
	}
	return key, nil
}

// APIKeys lists the organization's keys.
func (h *Handler) APIKeys(c echo.Context) error {
	return h.renderAPIKeys(c, http.StatusOK, "", nil)
}

func (h *Handler) renderAPIKeys(c echo.Context, status int, newKey string, errs map[string]string) error {
	keys, err := h.Store.APIKeys(c.Request().Context(), currentUser(c).OrganizationID)
	if err != nil {
		return err
	}
	return Render(c, status, sender.APIKeys(h.Page(c, "API keys", "apikeys"), keys, newKey, errs))
}

// CreateAPIKey makes a key and shows it once.
func (h *Handler) CreateAPIKey(c echo.Context) error {
	name := strings.TrimSpace(signing.CleanText(c.FormValue("name"), 201))
	if name == "" || utf8.RuneCountInString(name) > 200 {
		return h.renderAPIKeys(c, http.StatusUnprocessableEntity, "", map[string]string{"name": "Give the key a name (at most 200 characters)."})
	}
	key, err := NewAPIKey(c.Request().Context(), h.Store, currentUser(c), name)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return h.renderAPIKeys(c, http.StatusCreated, key, nil)
}

// RevokeAPIKey revokes one of the organization's keys.
func (h *Handler) RevokeAPIKey(c echo.Context) error {
	if err := h.Store.RevokeAPIKey(c.Request().Context(), currentUser(c).OrganizationID, c.Param("id")); err != nil {
		return err
	}
	h.flash(c, "The key was revoked.")
	return redirect(c, "/settings/api-keys")
}
