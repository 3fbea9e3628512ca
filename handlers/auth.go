package handlers

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"
	"github.com/labstack/echo/v4"

	"signet/models"
	"signet/signing"
	"signet/views/sender"
)

// dummyHash makes a login for an unknown email cost as much as one for a known email.
var dummyHash, _ = argon2id.CreateHash("signet-timing-equaliser", argon2id.DefaultParams)

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

// errSignupClosed answers both sign-up routes when the operator closed public sign-up.
var errSignupClosed = echo.NewHTTPError(http.StatusNotFound, "Sign-up is closed on this Signet. Ask its administrator for an account.")

// SignupForm shows the sign-up page.
func (h *Handler) SignupForm(c echo.Context) error {
	if h.SignupClosed {
		return errSignupClosed
	}
	return Render(c, http.StatusOK, sender.Signup(h.Page(c, "Sign up", ""), sender.AuthForm{}))
}

// Signup creates an account and its organization, then logs in.
func (h *Handler) Signup(c echo.Context) error {
	if h.SignupClosed {
		return errSignupClosed
	}
	// clipped a little past each limit, so an over-long value still gets its message
	f := sender.AuthForm{Name: strings.TrimSpace(signing.CleanText(c.FormValue("name"), 201)), Organization: strings.TrimSpace(signing.CleanText(c.FormValue("organization"), 201)),
		Email: strings.ToLower(strings.TrimSpace(signing.CleanText(c.FormValue("email"), 321))), Errors: map[string]string{}}
	password := c.FormValue("password")
	if f.Name == "" || utf8.RuneCountInString(f.Name) > 200 {
		f.Errors["name"] = "Enter your name (at most 200 characters)."
	}
	if utf8.RuneCountInString(f.Organization) > 200 {
		f.Errors["organization"] = "The organization name can be at most 200 characters."
	}
	if !ValidEmail(f.Email) {
		f.Errors["email"] = "Enter a valid email address, like name@example.com."
	}
	if n := utf8.RuneCountInString(password); n < 10 || n > 256 {
		f.Errors["password"] = "Choose a password of at least 10 characters."
	}
	if len(f.Errors) > 0 {
		return Render(c, http.StatusUnprocessableEntity, sender.Signup(h.Page(c, "Sign up", ""), f))
	}
	hash, err := argon2id.CreateHash(password, argon2id.DefaultParams)
	if err != nil {
		return err
	}
	u := &models.User{Email: f.Email, Name: f.Name, PasswordHash: hash}
	err = h.Store.CreateUserWithOrganization(c.Request().Context(), firstNonEmpty(f.Organization, f.Name), u)
	if errors.Is(err, models.ErrConflict) {
		f.Errors["email"] = "An account with this email already exists. Log in instead."
		return Render(c, http.StatusUnprocessableEntity, sender.Signup(h.Page(c, "Sign up", ""), f))
	}
	if err != nil {
		return err
	}
	return h.startSession(c, u.ID, "Welcome to Signet! Upload a PDF to send it for signature.", "/documents/new")
}

// LoginForm shows the log-in page.
func (h *Handler) LoginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return redirect(c, "/documents")
	}
	return Render(c, http.StatusOK, sender.Login(h.Page(c, "Log in", ""), sender.AuthForm{SignupClosed: h.SignupClosed}))
}

// Password guessing is slowed per account and per address; counts live in the database.
const (
	loginWindow         = 15 * time.Minute
	maxFailuresPerEmail = 10
	maxFailuresPerIP    = 50
)

// Login checks the password (argon2id) and starts a fresh session.
func (h *Handler) Login(c echo.Context) error {
	ctx, email, password := c.Request().Context(), signing.CleanText(c.FormValue("email"), 320), c.FormValue("password")
	now := h.Signing.Now()
	byEmail, byIP, err := h.Store.CountLoginFailuresSince(ctx, email, c.RealIP(), now.Add(-loginWindow))
	if err != nil {
		return err
	}
	if byEmail >= maxFailuresPerEmail || byIP >= maxFailuresPerIP {
		f := sender.AuthForm{Email: email, SignupClosed: h.SignupClosed, Errors: map[string]string{"form": "Too many failed log-ins. Wait 15 minutes, then try again."}}
		return Render(c, http.StatusTooManyRequests, sender.Login(h.Page(c, "Log in", ""), f))
	}
	u, err := h.Store.UserByEmail(ctx, email)
	if err != nil && !models.IsNotFound(err) {
		return err
	}
	hash := dummyHash
	if u != nil {
		hash = u.PasswordHash
	}
	ok, cerr := argon2id.ComparePasswordAndHash(password, hash)
	if u == nil || cerr != nil || !ok {
		if err := h.Store.RecordLoginFailure(ctx, email, c.RealIP(), now); err != nil {
			return err
		}
		f := sender.AuthForm{Email: email, SignupClosed: h.SignupClosed, Errors: map[string]string{"form": "The email or password is not right."}}
		return Render(c, http.StatusUnauthorized, sender.Login(h.Page(c, "Log in", ""), f))
	}
	if err := h.Store.ClearLoginFailures(ctx, u.Email); err != nil {
		return err
	}
	return h.startSession(c, u.ID, "", "/documents")
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
