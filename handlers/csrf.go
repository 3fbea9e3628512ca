package handlers

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// sessCSRF holds the session's CSRF token: a token is only good with the session it was issued to.
const sessCSRF = "csrf_token"

// Context keys of the CSRF token of this request and of the session it comes from.
const (
	ctxCSRF        = "csrf"
	ctxCSRFSession = "csrf_session"
)

// csrfSession reads (and on first need creates) the token of the request's session.
type csrfSession struct {
	h   *Handler
	ctx context.Context
}

// ErrCSRF is the refusal of a state-changing request without this session's token or from another site.
var ErrCSRF = echo.NewHTTPError(http.StatusForbidden, "This form has expired or was sent from another site. Go back, reload the page and try again.")

// CSRFProtect refuses unsafe requests that come from another origin than baseURL's (Sec-Fetch-Site,
// then Origin) or that do not carry the session's token in _csrf or X-CSRF-Token.
func (h *Handler) CSRFProtect(baseURL string, skip func(echo.Context) bool) echo.MiddlewareFunc {
	origin := originOf(baseURL)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if skip(c) {
				return next(c)
			}
			ctx := c.Request().Context()
			if !safeMethod(c.Request().Method) {
				if crossOrigin(c.Request(), origin) {
					return ErrCSRF
				}
				want := h.Sessions.GetString(ctx, sessCSRF)
				got := c.Request().Header.Get("X-CSRF-Token")
				if got == "" {
					got = c.FormValue("_csrf")
				}
				if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
					return ErrCSRF
				}
			}
			c.Set(ctxCSRFSession, csrfSession{h: h, ctx: ctx})
			return next(c)
		}
	}
}

// issue returns the session's token, creating it (and so the session) on first need only:
// health checks and static files do not each leave a session behind.
func (s csrfSession) issue() string {
	if t := s.current(); t != "" {
		return t
	}
	t := rand.Text()
	s.h.Sessions.Put(s.ctx, sessCSRF, t)
	return t
}

func (s csrfSession) current() string { return s.h.Sessions.GetString(s.ctx, sessCSRF) }

// renewSession gives the session a new id and a new CSRF token, on log-in and verification.
func (h *Handler) renewSession(c echo.Context) error {
	ctx := c.Request().Context()
	if err := h.Sessions.RenewToken(ctx); err != nil {
		return err
	}
	h.Sessions.Remove(ctx, sessCSRF)
	c.Set(ctxCSRF, "")
	return nil
}

// CSRFToken is this session's token for the forms and htmx of the page being rendered.
func CSRFToken(c echo.Context) string { return csrfTokenOf(c, true) }

// CurrentCSRFToken is the session's token if it has one, without creating a session: an error
// page (a 404 for /favicon.ico beside a first visit) must not replace the session a form was issued in.
func CurrentCSRFToken(c echo.Context) string { return csrfTokenOf(c, false) }

func csrfTokenOf(c echo.Context, create bool) string {
	if t, _ := c.Get(ctxCSRF).(string); t != "" {
		return t
	}
	s, ok := c.Get(ctxCSRFSession).(csrfSession)
	if !ok {
		return ""
	}
	t := s.current()
	if t == "" && create {
		t = s.issue()
	}
	c.Set(ctxCSRF, t)
	return t
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}

// crossOrigin reports a request a browser sent from another site: Sec-Fetch-Site when the browser
// sends it (no page can forge it; Origin is "null" then, since Referrer-Policy is no-referrer),
// otherwise an Origin that is not the portal's own. A request with neither is left to the token.
func crossOrigin(r *http.Request, origin string) bool {
	switch r.Header.Get("Sec-Fetch-Site") {
	case "same-origin", "none":
		return false
	case "":
		o := r.Header.Get("Origin")
		return o != "" && o != origin
	}
	return true
}

// originOf is scheme://host[:port] of a URL as browsers send it in Origin: lower case, without
// the scheme's default port.
func originOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	if port == "" || (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		return scheme + "://" + host
	}
	return scheme + "://" + host + ":" + port
}
