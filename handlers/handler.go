// Package handlers holds Signet's HTTP handlers: one file per area, one method per action.
package handlers

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"signet/accounts"
	"signet/models"
	"signet/signing"
	"signet/storage"
	"signet/views/layouts"
)

// Session keys.
const (
	sessUserID          = "user_id"
	sessFlash           = "flash"
	sessFlashError      = "flash_error"
	sessSignerRecipient = "signer_recipient_id"
	sessSignerVerified  = "signer_verified_at"
)

// Handler holds every dependency the handlers use.
type Handler struct {
	Signing        *signing.Service
	Accounts       *accounts.Service
	Store          *models.Store
	Sessions       *scs.SessionManager
	Blobs          storage.Blobs
	DevMailbox     bool
	MaxUploadBytes int64
	SignupClosed   bool // accounts only via `signet user create`
	SecureCookies  bool // the portal is reached over https
}

// Render writes a templ component with a status code.
func Render(c echo.Context, status int, t templ.Component) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return t.Render(c.Request().Context(), c.Response())
}

// Page builds the frame data of a page, consuming the flash messages.
func (h *Handler) Page(c echo.Context, title, active string) layouts.Page {
	ctx := c.Request().Context()
	p := layouts.Page{Title: title, CSRF: CSRFToken(c), Active: active, DevMailbox: h.DevMailbox}
	p.Flash = h.Sessions.PopString(ctx, sessFlash)
	p.FlashError = h.Sessions.PopString(ctx, sessFlashError)
	if u := currentUser(c); u != nil {
		p.UserName, p.OrgName = firstNonEmpty(u.Name, u.Email), u.Organization.Name
	} else {
		p.DevMailbox = false
	}
	return p
}

func (h *Handler) flash(c echo.Context, msg string) {
	h.Sessions.Put(c.Request().Context(), sessFlash, msg)
}

func redirect(c echo.Context, to string) error { return c.Redirect(http.StatusSeeOther, to) }

func actor(c echo.Context, name string) signing.Actor {
	return signing.Actor{Name: name, IP: c.RealIP(), UserAgent: c.Request().UserAgent()}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
