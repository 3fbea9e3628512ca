package testapp

import (
	"net/http"
	"net/url"
	"strings"

	"signet/notify/smtptest"
)

// SignUp submits the sign-up form and checks the answer is the "check your email" redirect.
func (b *Browser) SignUp(v url.Values) *Response {
	b.T.Helper()
	b.Get("/signup")
	res := b.PostForm("/signup", v)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signup/check-email" {
		b.T.Fatalf("sign-up %s: status %d location %q, want 303 to /signup/check-email", v.Get("email"), res.StatusCode, res.Header.Get("Location"))
	}
	return res
}

// ConfirmationLink waits for the confirmation email to address and returns its link.
func (a *App) ConfirmationLink(address string) string {
	a.T.Helper()
	m := a.SMTP.WaitFor(a.T, func(m smtptest.Mail) bool {
		return len(m.To) > 0 && strings.EqualFold(m.To[0], address) && strings.HasPrefix(m.Subject, "Confirm your email address")
	})
	link := smtptest.ExtractLink(m.Text, a.URL+"/confirm?token=")
	if link == "" {
		a.T.Fatalf("no confirmation link in the email to %s:\n%s", address, m.Text)
	}
	return link
}

// Confirm opens a confirmation link and submits it with the sign-up password; the answer is the redirect after log-in.
func (b *Browser) Confirm(link, password string) *Response {
	b.T.Helper()
	page := b.Get(link)
	if page.StatusCode != http.StatusOK {
		b.T.Fatalf("GET confirmation link: status %d", page.StatusCode)
	}
	u, _ := url.Parse(link)
	return b.PostForm("/confirm", url.Values{"token": {u.Query().Get("token")}, "password": {password}})
}

// SignUpConfirmed signs up through the form, reads the confirmation email and opens its link:
// the browser ends logged in; the answer is the redirect after confirming.
func (b *Browser) SignUpConfirmed(v url.Values) *Response {
	b.T.Helper()
	b.SignUp(v)
	return b.Confirm(b.App.ConfirmationLink(v.Get("email")), v.Get("password"))
}
