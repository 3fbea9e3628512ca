package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"signet/accounts"
	"signet/models"
	"signet/signing"
	"signet/views/sender"
)

func currentUser(c echo.Context) *models.User {
	u, _ := c.Get("user").(*models.User)
	return u
}

// LoadUser puts the logged-in sender (if any) in the context.
func (h *Handler) LoadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if id := h.Sessions.GetString(c.Request().Context(), sessUserID); id != "" {
			if u, err := h.Store.UserByID(c.Request().Context(), id); err == nil {
				c.Set("user", u)
			}
		}
		return next(c)
	}
}

// RequireUser sends visitors to the login page.
func (h *Handler) RequireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			return redirect(c, "/login")
		}
		return next(c)
	}
}

// Home sends senders to their documents and visitors to the login page.
func (h *Handler) Home(c echo.Context) error {
	if currentUser(c) != nil {
		return redirect(c, "/documents")
	}
	return redirect(c, "/login")
}

// LoginForm shows the log-in page.
func (h *Handler) LoginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return redirect(c, "/documents")
	}
	return Render(c, http.StatusOK, sender.Login(h.Page(c, "Log in", ""), sender.AuthForm{SignupClosed: h.SignupClosed}))
}

// Login checks the password through the accounts service and starts a fresh session.
func (h *Handler) Login(c echo.Context) error {
	email := signing.CleanText(c.FormValue("email"), 320)
	in := accounts.LoginInput{Email: email, Password: c.FormValue("password"), IP: c.RealIP()}
	in.DeviceCookie = h.deviceCookie(c)
	res, err := h.Accounts.Login(c.Request().Context(), in)
	loginPage := func(status int, msg string) error {
		f := sender.AuthForm{Email: email, SignupClosed: h.SignupClosed, Errors: map[string]string{"form": msg}}
		return Render(c, status, sender.Login(h.Page(c, "Log in", ""), f))
	}
	var throttled *accounts.ThrottledError
	switch {
	case err == nil:
	case errors.As(err, &throttled):
		setRetryAfter(c, throttled.RetryAfter)
		return loginPage(http.StatusTooManyRequests, "Too many failed log-ins. Wait "+waitText(throttled.RetryAfter)+", then try again.")
	case errors.Is(err, accounts.ErrBadCredentials):
		return loginPage(http.StatusUnauthorized, "The email or password is not right.")
	case errors.Is(err, accounts.ErrUnconfirmed):
		return loginPage(http.StatusForbidden, "Confirm your email address first: we have just sent you a new link. Open it, then log in.")
	default:
		return busyOr(c, err)
	}
	h.setDeviceCookie(c, res.DeviceCookie)
	return h.startSession(c, res.User.ID, "", "/documents")
}

// deviceCookieName is the trusted-device cookie; under https a __Host- cookie cannot be planted by a sibling.
func (h *Handler) deviceCookieName() string {
	if h.SecureCookies {
		return "__Host-signet_device"
	}
	return "signet_device"
}

func (h *Handler) deviceCookie(c echo.Context) string {
	if ck, err := c.Cookie(h.deviceCookieName()); err == nil {
		return ck.Value
	}
	return ""
}

// setDeviceCookie remembers the browser as one its account logged in from (signed, long-lived).
func (h *Handler) setDeviceCookie(c echo.Context, value string) {
	c.SetCookie(&http.Cookie{Name: h.deviceCookieName(), Value: value, Path: "/", HttpOnly: true, Secure: h.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int(h.Accounts.Limits().TrustedDeviceLifetime.Seconds())})
}

// busyOr answers a full hashing limiter with 503 and Retry-After, and passes other errors on.
func busyOr(c echo.Context, err error) error {
	var busy *accounts.BusyError
	if errors.As(err, &busy) {
		setRetryAfter(c, busy.RetryAfter)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "Signet is busy checking other passwords right now. Wait a few seconds, then try again.")
	}
	return err
}

// waitText says a wait in whole minutes, or seconds under a minute.
func waitText(d time.Duration) string {
	if d < time.Minute {
		return "a minute"
	}
	m := int((d + time.Minute - 1) / time.Minute)
	if m == 1 {
		return "1 minute"
	}
	return strconv.Itoa(m) + " minutes"
}

func (h *Handler) startSession(c echo.Context, userID, flash, to string) error {
	if err := h.renewSession(c); err != nil {
		return err
	}
	h.Sessions.Put(c.Request().Context(), sessUserID, userID)
	if flash != "" {
		h.flash(c, flash)
	}
	return redirect(c, to)
}

// Logout ends the session.
func (h *Handler) Logout(c echo.Context) error {
	if err := h.Sessions.Destroy(c.Request().Context()); err != nil {
		return err
	}
	return redirect(c, "/login")
}
