package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"signet/internal/testapp"
)

// Ten wrong passwords for an account lock its log-in for 15 minutes, even with the right password;
// the count lives in the database, so a fresh browser is refused too.
func TestLoginIsThrottledAfterTenWrongPasswords(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("alice@example.com")
	login := func(b *testapp.Browser, password string) *testapp.Response {
		b.Get("/login")
		return b.PostForm("/login", url.Values{"email": {"alice@example.com"}, "password": {password}})
	}
	b := app.NewBrowser()
	for i := 0; i < 10; i++ {
		if res := login(b, "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password #%d: status %d, want 401", i+1, res.StatusCode)
		}
	}
	res := login(app.NewBrowser(), sender.Password)
	if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many failed log-ins") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("the right password after 10 failures: status %d, want 429 with a message and Retry-After", res.StatusCode)
	}
	app.Clock.Advance(16 * time.Minute)
	if res := login(app.NewBrowser(), sender.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password after the window: status %d, want 303", res.StatusCode)
	}
	// a success clears the count: nine more failures do not lock
	for i := 0; i < 9; i++ {
		login(b, "wrong password")
	}
	if res := login(app.NewBrowser(), sender.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("after a success and 9 failures: status %d, want 303", res.StatusCode)
	}
}
