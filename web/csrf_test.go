package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"signet/internal/testapp"
)

// postCode presses "Send verification code" in b's session with the given token and extra headers.
func postCode(b *testapp.Browser, link, token string, header map[string]string) *testapp.Response {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.App.URL+link+"/code", strings.NewReader(url.Values{"_csrf": {token}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return b.Do(req)
}

// A token (and a double-submit cookie) planted from another session is refused: the token is
// bound to the session it was issued to.
func TestCSRFTokenFromAnotherSessionIsRefused(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	link := linkPath(app.SendDocument(sender, "jane@example.com").Recipients[0].Link)

	mallory := app.NewBrowser()
	mallory.Get("/login")
	planted := mallory.CSRF
	jane := app.NewBrowser()
	jane.Get(link)
	if planted == "" || jane.CSRF == "" || planted == jane.CSRF {
		t.Fatalf("tokens: mallory %q, jane %q; want two different ones", planted, jane.CSRF)
	}
	if res := postCode(jane, link, planted, nil); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "another site") {
		t.Fatalf("another session's token: status %d, want 403 with the friendly message", res.StatusCode)
	}
	// The old double-submit scheme accepted any cookie equal to the form field.
	u, _ := url.Parse(app.URL)
	jane.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "signet_csrf", Value: "planted-value", Path: "/"}})
	if res := postCode(jane, link, "planted-value", nil); res.StatusCode != http.StatusForbidden {
		t.Fatalf("planted cookie and matching token: status %d, want 403", res.StatusCode)
	}
	if n := countChallenges(t, app); n != 0 {
		t.Fatalf("%d codes sent by refused requests", n)
	}
	if res := postCode(jane, link, jane.CSRF, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("jane's own token: status %d", res.StatusCode)
	}
}

// An unsafe request from another origin is refused even with the right token: by Origin when
// the browser sends no Sec-Fetch-Site, by Sec-Fetch-Site when it does.
func TestCSRFOriginMismatchIsRefused(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	link := linkPath(app.SendDocument(sender, "jane@example.com").Recipients[0].Link)
	jane := app.NewBrowser()
	jane.Get(link)
	for name, h := range map[string]map[string]string{
		"Origin of another site, no Sec-Fetch-Site": {"Origin": "https://evil.example"},
		"Origin null":               {"Origin": "null"},
		"Origin on another port":    {"Origin": strings.TrimSuffix(app.URL, app.URL[strings.LastIndex(app.URL, ":"):]) + ":1"},
		"Sec-Fetch-Site cross-site": {"Sec-Fetch-Site": "cross-site"},
		"Sec-Fetch-Site same-site":  {"Sec-Fetch-Site": "same-site", "Origin": "http://sub.127.0.0.1"},
	} {
		if res := postCode(jane, link, jane.CSRF, h); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", name, res.StatusCode)
		}
	}
	if n := countChallenges(t, app); n != 0 {
		t.Fatalf("%d codes sent by cross-origin requests", n)
	}
	// What browsers send from the portal's own pages: Origin is null under Referrer-Policy: no-referrer.
	for i, h := range []map[string]string{{"Origin": app.URL}, {"Sec-Fetch-Site": "same-origin", "Origin": "null"}} {
		app.Clock.Advance(time.Minute) // past the resend cool-down
		if res := postCode(jane, link, jane.CSRF, h); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("same origin %v: status %d", h, res.StatusCode)
		}
		if n := countChallenges(t, app); n != int64(i+1) {
			t.Fatalf("%d codes after %d same-origin requests", n, i+1)
		}
	}
}

// Logging in gives the session a new token; the one from before no longer works.
func TestCSRFTokenRotatesOnLogin(t *testing.T) {
	app := testapp.New(t)
	sender := app.NewSender("owner@example.com")
	b := app.NewBrowser()
	b.Get("/login")
	before := b.CSRF
	res := b.PostForm("/login", url.Values{"email": {sender.User.Email}, "password": {sender.Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	b.Get("/documents")
	if b.CSRF == "" || b.CSRF == before {
		t.Fatalf("token after log-in %q, before %q: want a new one", b.CSRF, before)
	}
	if res := b.PostForm("/logout", url.Values{"_csrf": {before}}); res.StatusCode != http.StatusForbidden {
		t.Fatalf("logout with the token from before log-in: status %d, want 403", res.StatusCode)
	}
}
