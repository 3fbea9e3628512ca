package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"signet/config"
	"signet/internal/testapp"
)

// Ten wrong passwords from elsewhere lock an account, but not for a device that logged in to
// it before: its signed cookie lets the right password through, and its own failures count in
// a bucket of their own.
func TestTrustedDevicePassesAnAccountLock(t *testing.T) {
	app := testapp.New(t)
	alice := app.NewSender("alice@example.com")
	laptop := app.NewBrowser()
	if res := postLoginAs(laptop, alice.User.Email, alice.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first log-in: status %d", res.StatusCode)
	}
	if laptop.Cookie("signet_device") == "" {
		t.Fatal("no trusted-device cookie after a successful log-in")
	}
	laptop.PostForm("/logout", nil)

	attacker := app.NewBrowser()
	for i := 0; i < 10; i++ {
		if res := postLoginAs(attacker, alice.User.Email, "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attacker's wrong password #%d: status %d", i+1, res.StatusCode)
		}
	}
	if res := postLoginAs(app.NewBrowser(), alice.User.Email, alice.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the right password from a new browser while locked: status %d, want 429", res.StatusCode)
	}
	forged := app.NewBrowser()
	forged.Client.Jar.SetCookies(mustURL(t, app.URL), []*http.Cookie{{Name: "signet_device", Value: laptop.Cookie("signet_device") + "x", Path: "/"}})
	if res := postLoginAs(forged, alice.User.Email, alice.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("an altered device cookie while locked: status %d, want 429", res.StatusCode)
	}
	bob := app.NewSender("bob@example.com")
	if res := postLoginAs(laptop, bob.User.Email, bob.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bob on alice's laptop: status %d", res.StatusCode)
	}
	laptop.PostForm("/logout", nil) // the laptop's cookie now names bob: it no longer vouches for alice
	if res := postLoginAs(laptop, alice.User.Email, alice.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a device cookie for another account while locked: status %d, want 429", res.StatusCode)
	}

	phone := app.NewBrowser()
	app.Clock.Advance(16 * time.Minute) // the lock ends; the phone logs in and becomes trusted
	if res := postLoginAs(phone, alice.User.Email, alice.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("phone log-in after the window: status %d", res.StatusCode)
	}
	phone.PostForm("/logout", nil)
	for i := 0; i < 10; i++ {
		postLoginAs(attacker, alice.User.Email, "wrong password")
	}
	if res := postLoginAs(phone, alice.User.Email, alice.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the right password from the trusted phone while locked: status %d, want 303", res.StatusCode)
	}
	phone.PostForm("/logout", nil)
	for i := 0; i < 10; i++ {
		if res := postLoginAs(phone, alice.User.Email, "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("the phone's own wrong password #%d: status %d, want 401", i+1, res.StatusCode)
		}
	}
	if res := postLoginAs(phone, alice.User.Email, alice.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("after the phone's own 10 failures: status %d, want 429", res.StatusCode)
	}
}

// The per-address limit is keyed per address and account, under a looser ceiling for the
// address as a whole: one locked account behind a NAT does not lock its neighbours.
func TestLoginLimitsAreKeyedPerAddressAndAccount(t *testing.T) {
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) {
		c.LoginFailuresPerIP = 14
		c.LoginFailuresPerAccount = 100 // isolate the per-address limits
	}})
	alice, bob := app.NewSender("alice@example.com"), app.NewSender("bob@example.com")
	for i := 0; i < 10; i++ {
		postLoginAs(app.NewBrowser(), alice.User.Email, "wrong password")
	}
	if res := postLoginAs(app.NewBrowser(), alice.User.Email, alice.Password); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("alice after 10 failures from this address: status %d, want 429", res.StatusCode)
	}
	if res := postLoginAs(app.NewBrowser(), bob.User.Email, bob.Password); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("bob from the same address: status %d, want 303", res.StatusCode)
	}
	for i := 0; i < 4; i++ {
		if res := postLoginAs(app.NewBrowser(), "nobody@example.com", "wrong password"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure #%d under the address ceiling: status %d", 11+i, res.StatusCode)
		}
	}
	if res := postLoginAs(app.NewBrowser(), "someone-else@example.com", "wrong password"); res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("failure #15 over the address ceiling of 14: status %d, want 429 with Retry-After", res.StatusCode)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
