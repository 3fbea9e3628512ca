package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signet/config"
	"signet/internal/testapp"
	"signet/models"
)

// With SIGNET_ALLOW_SIGNUP=false nobody can create an account from the web; existing senders log in as usual.
func TestSignupCanBeClosed(t *testing.T) {
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) { c.AllowSignup = false }})
	sender := app.NewSender("alice@example.com")
	b := app.NewBrowser()
	login := b.Get("/login")
	if strings.Contains(login.Body, `href="/signup"`) {
		t.Fatal("the log-in page links to a closed sign-up")
	}
	if res := b.Get("/signup"); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Sign-up is closed") {
		t.Fatalf("GET /signup: status %d", res.StatusCode)
	}
	res := b.PostForm("/signup", url.Values{"name": {"Mallory"}, "email": {"mallory@example.com"}, "password": {"long enough password"}})
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("POST /signup: status %d, want 404", res.StatusCode)
	}
	if _, err := app.Store.UserByEmail(t.Context(), "mallory@example.com"); !models.IsNotFound(err) {
		t.Fatalf("a closed sign-up created a user: %v", err)
	}
	if res := b.PostForm("/login", url.Values{"email": {sender.User.Email}, "password": {sender.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log-in with sign-up closed: status %d", res.StatusCode)
	}
}
