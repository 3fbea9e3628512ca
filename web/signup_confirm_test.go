package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"signet/config"
	"signet/internal/testapp"
	"signet/models"
	"signet/notify/smtptest"
)

func signupForm(name, email, password string) url.Values {
	return url.Values{"name": {name}, "email": {email}, "password": {password}}
}

// Sign-up answers a new and a taken email the same way; the new address must be confirmed
// from the emailed link, the owner of the taken one is told someone tried.
func TestSignupAnswersNewAndTakenEmailsAlike(t *testing.T) {
	app := testapp.New(t)
	alice := app.NewSender("alice@example.com")

	newcomer, intruder := app.NewBrowser(), app.NewBrowser()
	resNew := newcomer.SignUp(signupForm("Bob", "bob@example.com", "a long enough password"))
	resTaken := intruder.SignUp(signupForm("Mallory", "ALICE@example.com", "another long password"))
	pageNew, pageTaken := newcomer.Follow(resNew), intruder.Follow(resTaken)
	textNew := pageNew.Doc(t).Find(`[data-testid="check-email"]`).Text()
	if pageNew.StatusCode != http.StatusOK || textNew == "" || textNew != pageTaken.Doc(t).Find(`[data-testid="check-email"]`).Text() || pageNew.StatusCode != pageTaken.StatusCode {
		t.Fatalf("the pages after sign-up differ or are empty: %d %q / %d %q", pageNew.StatusCode, textNew, pageTaken.StatusCode, pageTaken.Doc(t).Find(`[data-testid="check-email"]`).Text())
	}
	if pageNew.Doc(t).Find(`[data-testid="dev-mailbox-note"]`).Length() != 0 {
		t.Error("the dev-mailbox note shows although SMTP is configured")
	}

	notice := app.SMTP.WaitFor(t, toAndSubject("alice@example.com", "Someone tried to sign up"))
	if smtptest.ExtractLink(notice.Text, app.URL+"/login") == "" {
		t.Errorf("the owner's notice has no log-in link:\n%s", notice.Text)
	}
	if u, err := app.Store.UserByEmail(t.Context(), "alice@example.com"); err != nil || u.PasswordHash != alice.User.PasswordHash || u.Name != alice.User.Name {
		t.Fatalf("a sign-up with a taken email changed the account: %v", err)
	}
	if res := postLoginAs(app.NewBrowser(), "alice@example.com", "another long password"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the intruder's password works: status %d", res.StatusCode)
	}

	bob, err := app.Store.UserByEmail(t.Context(), "bob@example.com")
	if err != nil || bob.ConfirmedAt != nil {
		t.Fatalf("the new account: %v, confirmed at %v (want unconfirmed)", err, bob.ConfirmedAt)
	}
	link := app.ConfirmationLink("bob@example.com")

	// the right password before confirming sends a fresh link and says so; a wrong one says nothing more
	b := app.NewBrowser()
	if res := postLoginAs(b, "bob@example.com", "not the password"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("wrong password for an unconfirmed account: status %d, want 401", res.StatusCode)
	}
	res := postLoginAs(b, "bob@example.com", "a long enough password")
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "Confirm your email address first") {
		t.Fatalf("log-in before confirming: status %d, want 403 with an explanation", res.StatusCode)
	}
	testapp.Eventually(t, "a fresh confirmation email", func() bool {
		n := 0
		for _, m := range app.SMTP.Messages() {
			if m.To[0] == "bob@example.com" && strings.HasPrefix(m.Subject, "Confirm your email") {
				n++
			}
		}
		return n == 2
	})

	// opening the link changes nothing (mail scanners open links); the button confirms and logs in
	if page := b.Get(link); page.StatusCode != http.StatusOK || page.Doc(t).Find(`form[data-testid="confirm-form"]`).Length() != 1 {
		t.Fatalf("GET confirmation link: status %d, no confirm form", page.StatusCode)
	}
	if u, _ := app.Store.UserByEmail(t.Context(), "bob@example.com"); u.ConfirmedAt != nil {
		t.Fatal("opening the link confirmed the account")
	}
	res = b.Confirm(link, "a long enough password")
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/documents/new" {
		t.Fatalf("confirm: status %d location %q", res.StatusCode, res.Header.Get("Location"))
	}
	if home := b.Follow(res); home.Doc(t).Find(`form[data-testid="new-document-form"]`).Length() != 1 {
		t.Fatalf("after confirming the sender is not logged in: status %d", home.StatusCode)
	}
	if res := postLoginAs(app.NewBrowser(), "bob@example.com", "a long enough password"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("log-in after confirming: status %d, want 303", res.StatusCode)
	}

	// an altered link and an expired one are refused with a way forward
	if res := app.NewBrowser().Get(link + "x"); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "Log in with your email and password") {
		t.Errorf("altered link: status %d", res.StatusCode)
	}
	app.Clock.Advance(49 * time.Hour)
	if res := app.NewBrowser().Get(link); res.StatusCode != http.StatusNotFound {
		t.Errorf("expired link: status %d, want 404", res.StatusCode)
	}
}

func postLoginAs(b *testapp.Browser, email, password string) *testapp.Response {
	b.Get("/login")
	res := b.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode == http.StatusSeeOther {
		b.Follow(res) // log-in rotates the CSRF token: the next page carries the new one, as in a browser
	}
	return res
}

// Sign-up is throttled per address (SIGNET_SIGNUPS_PER_IP): the next one is refused before
// any hashing with 429 and Retry-After, and stores nothing.
func TestSignupIsThrottledPerAddress(t *testing.T) {
	app := testapp.New(t, testapp.Options{Configure: func(c *config.Config) { c.SignupsPerIP = 3 }})
	for i, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if res := app.NewBrowser().SignUp(signupForm("Person", email, "a long enough password")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign-up #%d: status %d", i+1, res.StatusCode)
		}
	}
	hashed := app.Accounts.Hasher().Evaluations()
	b := app.NewBrowser()
	b.Get("/signup")
	res := b.PostForm("/signup", signupForm("Person", "d@example.com", "a long enough password"))
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "Too many sign-ups") {
		t.Fatalf("4th sign-up: status %d Retry-After %q, want 429 with a message", res.StatusCode, res.Header.Get("Retry-After"))
	}
	if app.Accounts.Hasher().Evaluations() != hashed {
		t.Error("a refused sign-up hashed its password")
	}
	if _, err := app.Store.UserByEmail(t.Context(), "d@example.com"); !models.IsNotFound(err) {
		t.Errorf("a refused sign-up created a user: %v", err)
	}
	app.Clock.Advance(61 * time.Minute)
	app.NewBrowser().SignUp(signupForm("Person", "d@example.com", "a long enough password"))
}

// Without SMTP the confirmation link is in the server log, and the page says so.
func TestDevMailboxCarriesTheConfirmationLink(t *testing.T) {
	app := testapp.New(t, testapp.Options{DevMailbox: true})
	b := app.NewBrowser()
	page := b.Follow(b.SignUp(signupForm("Dee", "dee@example.com", "a long enough password")))
	if page.Doc(t).Find(`[data-testid="dev-mailbox-note"]`).Length() != 1 {
		t.Error("the check-email page does not say where the link is without SMTP")
	}
	var link string
	testapp.Eventually(t, "the confirmation link in the server log", func() bool {
		link = smtptest.ExtractLink(app.Logs.String(), app.URL+"/confirm?token=")
		return link != ""
	})
	if res := b.Confirm(link, "a long enough password"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/documents/new" {
		t.Fatalf("confirm from the logged link: status %d", res.StatusCode)
	}
}

// Nobody can create an account for someone else's address and take it over when they confirm:
// a pending account takes the latest sign-up's password, and confirming asks for it.
func TestSignupCannotSquatAnAddress(t *testing.T) {
	app := testapp.New(t)
	const attackerPassword, victimPassword = "attacker chosen password", "victim chosen password"
	app.NewBrowser().SignUp(signupForm("Mallory", "victim@example.com", attackerPassword))
	firstLink := app.ConfirmationLink("victim@example.com")
	victim := app.NewBrowser()
	victim.SignUp(signupForm("Victor", "victim@example.com", victimPassword))
	var links []string
	testapp.Eventually(t, "a second confirmation email", func() bool {
		links = nil
		for _, m := range app.SMTP.Messages() {
			if m.To[0] == "victim@example.com" && strings.HasPrefix(m.Subject, "Confirm your email") {
				links = append(links, smtptest.ExtractLink(m.Text, app.URL+"/confirm?token="))
			}
		}
		return len(links) == 2
	})
	for _, m := range app.SMTP.Messages() {
		if strings.HasPrefix(m.Subject, "Someone tried") {
			t.Errorf("a pending account's address got a %q notice instead of a fresh link", m.Subject)
		}
	}

	res := app.NewBrowser().Confirm(firstLink, attackerPassword)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "not the password chosen at sign-up") {
		t.Fatalf("confirming with the squatter's password: status %d, want 401 with a message", res.StatusCode)
	}
	if u, _ := app.Store.UserByEmail(t.Context(), "victim@example.com"); u.ConfirmedAt != nil || u.Name != "Victor" {
		t.Fatalf("the pending account: confirmed %v, name %q", u.ConfirmedAt, u.Name)
	}
	if res := victim.Confirm(links[1], victimPassword); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the owner's confirmation: status %d", res.StatusCode)
	}
	if res := postLoginAs(app.NewBrowser(), "victim@example.com", attackerPassword); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("the squatter's password logs in: status %d", res.StatusCode)
	}
	var n int64
	app.DB.Model(&models.User{}).Where("email = ?", "victim@example.com").Count(&n)
	if n != 1 {
		t.Errorf("%d accounts for one address", n)
	}
}
