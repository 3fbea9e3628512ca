package handlers

import (
	"errors"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"signet/accounts"
	"signet/signing"
	"signet/views/sender"
)

// errSignupClosed answers the sign-up routes when the operator closed public sign-up.
var errSignupClosed = echo.NewHTTPError(http.StatusNotFound, "Sign-up is closed on this Signet. Ask its administrator for an account.")

// passwordMessages explain each refusal of the password policy.
var passwordMessages = map[string]string{
	accounts.CodePasswordTooShort:  "Choose a password of at least 10 characters.",
	accounts.CodePasswordTooLong:   "Choose a password of at most 256 characters.",
	accounts.CodePasswordBreached:  "This password is in lists of passwords leaked from other sites, so attackers try it first. Choose another.",
	accounts.CodePasswordGuessable: "This password is too easy to guess: repeated or sequential characters, common words or your own name or email are what attackers try first. Choose another, for example a few unrelated words.",
}

// PasswordMessage is the sentence for a password refusal, for the pages and the CLI.
func PasswordMessage(err error) (string, bool) {
	var pe *accounts.PasswordError
	if !errors.As(err, &pe) {
		return "", false
	}
	return passwordMessages[pe.Code], true
}

// SignupForm shows the sign-up page.
func (h *Handler) SignupForm(c echo.Context) error {
	if h.SignupClosed {
		return errSignupClosed
	}
	return Render(c, http.StatusOK, sender.Signup(h.Page(c, "Sign up", ""), sender.AuthForm{}))
}

// Signup validates the form and hands it to the accounts service; new and taken addresses get
// the same answer, a redirect to "check your email".
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
	if msg, refused := PasswordMessage(accounts.CheckPassword(password, f.Email, f.Name)); refused {
		f.Errors["password"] = msg
	}
	if len(f.Errors) > 0 {
		return Render(c, http.StatusUnprocessableEntity, sender.Signup(h.Page(c, "Sign up", ""), f))
	}
	err := h.Accounts.Signup(c.Request().Context(), accounts.SignupInput{Name: f.Name, Organization: f.Organization,
		Email: f.Email, Password: password, IP: c.RealIP()})
	var throttled *accounts.ThrottledError
	if errors.As(err, &throttled) {
		setRetryAfter(c, throttled.RetryAfter)
		f.Errors["form"] = "Too many sign-ups from your network. Wait " + waitText(throttled.RetryAfter) + ", then try again."
		return Render(c, http.StatusTooManyRequests, sender.Signup(h.Page(c, "Sign up", ""), f))
	}
	if err != nil {
		return busyOr(c, err)
	}
	return redirect(c, "/signup/check-email")
}

// CheckEmail is the page after every sign-up.
func (h *Handler) CheckEmail(c echo.Context) error {
	return Render(c, http.StatusOK, sender.CheckEmail(h.Page(c, "Check your email", ""), h.DevMailbox))
}

// errBadConfirmation answers a confirmation link that was altered or has expired.
var errBadConfirmation = echo.NewHTTPError(http.StatusNotFound, "This confirmation link is not valid or has expired. Log in with your email and password: we will send you a new one.")

// ConfirmForm shows the confirmation form; opening the link changes nothing.
func (h *Handler) ConfirmForm(c echo.Context) error {
	token := c.QueryParam("token")
	email, err := h.Accounts.CheckConfirmation(c.Request().Context(), token)
	if err != nil {
		return confirmError(err)
	}
	return Render(c, http.StatusOK, sender.ConfirmEmail(h.Page(c, "Confirm your email address", ""), sender.ConfirmForm{Token: token, Email: email}))
}

// Confirm checks the password chosen at sign-up, marks the address as confirmed and logs its owner in.
func (h *Handler) Confirm(c echo.Context) error {
	token := c.FormValue("token")
	email, _ := h.Accounts.CheckConfirmation(c.Request().Context(), token) // for the form, shown again on a wrong password
	res, err := h.Accounts.Confirm(c.Request().Context(), accounts.ConfirmInput{Token: token, Password: c.FormValue("password"),
		IP: c.RealIP(), DeviceCookie: h.deviceCookie(c)})
	form := func(status int, msg string) error {
		return Render(c, status, sender.ConfirmEmail(h.Page(c, "Confirm your email address", ""), sender.ConfirmForm{Token: token, Email: email, Error: msg}))
	}
	var throttled *accounts.ThrottledError
	switch {
	case err == nil:
	case errors.As(err, &throttled):
		setRetryAfter(c, throttled.RetryAfter)
		return form(http.StatusTooManyRequests, "Too many wrong passwords. Wait "+waitText(throttled.RetryAfter)+", then try again.")
	case errors.Is(err, accounts.ErrBadCredentials):
		return form(http.StatusUnauthorized, "This is not the password chosen at sign-up. If you signed up more than once, use the password of the last time.")
	default:
		return busyOr(c, confirmError(err))
	}
	h.setDeviceCookie(c, res.DeviceCookie)
	return h.startSession(c, res.User.ID, "Welcome to Signet! Upload a PDF to send it for signature.", "/documents/new")
}

func confirmError(err error) error {
	if errors.Is(err, accounts.ErrInvalidToken) {
		return errBadConfirmation
	}
	return err
}
