package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"signet/handlers"
	"signet/models"
	"signet/static"
)

// Areas of the route table; tests use them to check who may call what.
const (
	AreaPublic = "public"
	AreaSender = "sender"
	AreaSigner = "signer"
	AreaAPI    = "api"
)

// Route is one line of the route table.
type Route struct {
	Method, Path, Area string
	Handler            echo.HandlerFunc
	Middleware         []echo.MiddlewareFunc
}

// Routes is every route Signet serves, in one readable table.
func Routes(h *handlers.Handler, db *gorm.DB) []Route {
	pub := func(m, p string, f echo.HandlerFunc) Route {
		return Route{Method: m, Path: p, Area: AreaPublic, Handler: f}
	}
	snd := func(m, p string, f echo.HandlerFunc) Route {
		return Route{Method: m, Path: p, Area: AreaSender, Handler: f, Middleware: []echo.MiddlewareFunc{h.RequireUser}}
	}
	sig := func(m, p string, f echo.HandlerFunc) Route {
		return Route{Method: m, Path: p, Area: AreaSigner, Handler: f}
	}
	api := func(m, p string, f echo.HandlerFunc) Route {
		return Route{Method: m, Path: p, Area: AreaAPI, Handler: f, Middleware: []echo.MiddlewareFunc{h.RequireAPIKey}}
	}
	get, post := http.MethodGet, http.MethodPost
	return []Route{
		pub(get, "/healthz", h.Healthz),
		pub(get, "/readyz", h.Readyz(func(ctx context.Context) error { return models.Ping(ctx, db) })),
		pub(get, "/static/*", echo.WrapHandler(static.Handler())),
		pub(get, "/", h.Home),
		pub(get, "/signup", h.SignupForm),
		pub(post, "/signup", h.Signup),
		pub(get, "/signup/check-email", h.CheckEmail),
		pub(get, "/confirm", h.ConfirmForm),
		pub(post, "/confirm", h.Confirm),
		pub(get, "/login", h.LoginForm),
		pub(post, "/login", h.Login),
		pub(post, "/logout", h.Logout),

		snd(get, "/documents", h.Dashboard),
		snd(get, "/documents/new", h.NewDocumentForm),
		snd(post, "/documents", h.CreateDocument),
		snd(get, "/documents/:id", h.ShowDocument),
		snd(post, "/documents/:id/send", h.SendDocument),
		snd(post, "/documents/:id/cancel", h.CancelDocument),
		snd(post, "/documents/:id/finalize", h.RetryFinalize),
		snd(get, "/documents/:id/original.pdf", h.DownloadOriginal),
		snd(get, "/documents/:id/signed.pdf", h.DownloadSigned),
		snd(post, "/documents/:id/recipients/:rid/unlock", h.UnlockRecipient),
		snd(get, "/documents/:id/recipients/:rid/qr.png", h.RecipientQR),
		snd(post, "/documents/:id/recipients/:rid/remind", h.RemindRecipient),
		snd(get, "/settings/api-keys", h.APIKeys),
		snd(post, "/settings/api-keys", h.CreateAPIKey),
		snd(post, "/settings/api-keys/:id/revoke", h.RevokeAPIKey),
		snd(get, "/dev/mailbox", h.Mailbox),

		sig(get, "/s/:token", h.SignerLanding),
		sig(post, "/s/:token/code", h.SendCode),
		sig(get, "/s/:token/verify", h.VerifyForm),
		sig(post, "/s/:token/verify", h.Verify),
		sig(get, "/s/:token/document.pdf", h.SignerPDF),
		sig(post, "/s/:token/sign", h.Sign),
		sig(post, "/s/:token/decline", h.Decline),
		sig(get, "/s/:token/done", h.Done),
		sig(get, "/s/:token/status", h.DoneStatus),
		sig(get, "/s/:token/signed.pdf", h.SignerSignedPDF),

		api(post, "/api/v1/documents", h.APICreateDocument),
		api(get, "/api/v1/documents/:id", h.APIGetDocument),
		api(get, "/api/v1/documents/:id/file", h.APIDocumentFile),
	}
}

func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/api/") }
