package web_test

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"signet/internal/testapp"
	"signet/models"
	"signet/notify/smtptest"
)

// secrets collects what must never reach the logs, with a name for the failure message.
type secrets map[string]string

func (s secrets) add(name, value string) {
	if value == "" {
		return
	}
	s[name+" ("+value[:min(4, len(value))]+"…)"] = value
}

// loggedSecret reports whether value occurs in logs; short numeric codes must stand alone, not inside a longer number.
func loggedSecret(logs, value string) bool {
	if regexp.MustCompile(`^\d{1,8}$`).MatchString(value) {
		return regexp.MustCompile(`(^|[^0-9])` + value + `($|[^0-9])`).MatchString(logs)
	}
	return strings.Contains(logs, value)
}

// notTheCode is a well-formed code that differs from code.
func notTheCode(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// A whole job over SMTP logs no code, signing token, password, session ID, API key or CSRF token (DESIGN §4).
func TestLogsKeepNoSecrets(t *testing.T) {
	app := testapp.New(t)
	secret := secrets{}
	const password = "Tr0ub4dor&3-horse-battery-staple"
	const wrongPassword = "Wr0ng-pa55word-n0t-this-one"
	secret.add("password", password)
	secret.add("wrong password", wrongPassword)

	// Sign up, log out, fail a login, log in: every password travels in a form.
	alice := app.NewBrowser()
	alice.Get("/signup")
	secret.add("CSRF token (signup)", alice.CSRF)
	alice.SignUp(url.Values{"name": {"Alice"}, "email": {"alice@example.com"}, "password": {password}})
	confirmLink := app.ConfirmationLink("alice@example.com")
	secret.add("confirmation token", confirmLink[strings.Index(confirmLink, "token=")+len("token="):])
	res := alice.Confirm(confirmLink, password)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: status %d", res.StatusCode)
	}
	secret.add("session cookie (signup)", alice.Cookie("signet"))
	alice.Follow(res)
	secret.add("CSRF token (sender)", alice.CSRF)
	if res := alice.PostForm("/logout", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", res.StatusCode)
	}
	alice.Get("/login")
	if res := alice.PostForm("/login", url.Values{"email": {"alice@example.com"}, "password": {wrongPassword}}); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong password: status %d", res.StatusCode)
	}
	if res := alice.PostForm("/login", url.Values{"email": {"alice@example.com"}, "password": {password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: status %d", res.StatusCode)
	}
	secret.add("session cookie (login)", alice.Cookie("signet"))

	// An API key made on the settings page, then used.
	alice.Get("/settings/api-keys")
	res = alice.PostForm("/settings/api-keys", url.Values{"name": {"CI"}})
	key := strings.TrimSpace(res.Doc(t).Find(`[data-testid="new-key"] code`).Text())
	if !strings.HasPrefix(key, "sgn_") {
		t.Fatalf("no API key created: status %d", res.StatusCode)
	}
	secret.add("API key", key)
	var created apiDoc
	if res := app.API(key, http.MethodPost, "/api/v1/documents", createRequest(testapp.Fixture(t, "in-10.pdf"),
		map[string]any{"name": "Jane Doe", "email": "jane@example.com", "authentication": "email_otp"}), &created); res.StatusCode != http.StatusCreated {
		t.Fatalf("create: status %d body %s", res.StatusCode, res.Body)
	}
	badKey := "sgn_" + randomToken()
	secret.add("unknown API key", badKey)
	if res := app.API(badKey, http.MethodGet, "/api/v1/documents/"+created.ID, nil, nil); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unknown key: status %d", res.StatusCode)
	}

	// The signer: link, wrong code, right code, signature.
	link := smtptest.ExtractLink(app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "to sign")).Text, app.URL+"/s/")
	token := strings.TrimPrefix(link, app.URL+"/s/")
	if token == "" || token == link {
		t.Fatalf("no signing link in the invitation")
	}
	secret.add("signing token", token)
	bogus := randomToken()
	secret.add("unknown signing token", bogus)
	if res := app.NewBrowser().Get("/s/" + bogus); res.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown token: status %d", res.StatusCode)
	}
	jane := app.NewBrowser()
	jane.Get(link)
	secret.add("signer session cookie (before verification)", jane.Cookie("signet"))
	secret.add("CSRF token (signer)", jane.CSRF)
	jane.PostForm(link+"/code", nil)
	code := smtptest.ExtractCode(app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "verification code")).Text)
	if code == "" {
		t.Fatal("no code emailed")
	}
	secret.add("OTP code", code)
	if res := jane.PostForm(link+"/verify", url.Values{"code": {notTheCode(code)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong code: status %d", res.StatusCode)
	}
	if res := jane.PostForm(link+"/verify", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("right code: status %d", res.StatusCode)
	}
	secret.add("signer session cookie (verified)", jane.Cookie("signet"))
	jane.Get(link)
	if res := jane.PostForm(link+"/sign", url.Values{"typed_name": {"Jane Doe"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign: status %d body %s", res.StatusCode, truncateForLog(res.Body))
	}
	testapp.Eventually(t, "the document to complete", func() bool {
		d, err := app.Store.DocumentByID(t.Context(), created.ID)
		return err == nil && d.Status == models.DocCompleted
	})
	app.SMTP.WaitFor(t, toAndSubject("jane@example.com", "complete"))
	jane.Get(link + "/signed.pdf")
	alice.Get("/documents/" + created.ID)

	logs := app.Logs.String()
	// The logs did record this job: the check below is about content, not silence.
	for _, want := range []string{"route=/s/:token/verify", "route=/login", "route=/api/v1/documents", "status=422", "status=401"} {
		if !strings.Contains(logs, want) {
			t.Fatalf("the logs lack %q: request logging did not run as expected", want)
		}
	}
	if len(secret) < 14 {
		t.Fatalf("only %d secrets collected", len(secret))
	}
	for name, value := range secret {
		if loggedSecret(logs, value) {
			t.Errorf("the logs contain the %s", name)
		}
	}
	if strings.Contains(logs, "dev mailbox") {
		t.Error("the dev mailbox logged although SMTP is configured")
	}
}

// The dev mailbox is the documented exception: with no SMTP, it logs the link and the code so a developer can sign.
func TestDevMailboxLogsLinkAndCode(t *testing.T) {
	app := testapp.New(t, testapp.Options{DevMailbox: true})
	sender := app.NewSender("alice@example.com")
	var created apiDoc
	if res := app.API(sender.APIKey, http.MethodPost, "/api/v1/documents", createRequest(testapp.Fixture(t, "in-10.pdf"),
		map[string]any{"name": "Jane Doe", "email": "jane@example.com", "authentication": "email_otp"}), &created); res.StatusCode != http.StatusCreated {
		t.Fatalf("create: status %d body %s", res.StatusCode, res.Body)
	}
	link := created.Recipients[0].SigningURL
	testapp.Eventually(t, "the invitation's link in the logs", func() bool { return strings.Contains(app.Logs.String(), link) })

	jane := app.NewBrowser()
	jane.Get(link)
	if res := jane.PostForm(link+"/code", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send code: status %d", res.StatusCode)
	}
	var code string
	testapp.Eventually(t, "the code in the dev mailbox", func() bool {
		msgs, err := app.Store.DevMessages(t.Context(), sender.User.OrganizationID, 100)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range msgs {
			if strings.Contains(m.Subject, "verification code") {
				code = smtptest.ExtractCode(m.Text)
			}
		}
		return code != ""
	})
	testapp.Eventually(t, "the code in the logs", func() bool { return loggedSecret(app.Logs.String(), code) })

	logs := app.Logs.String()
	if !strings.Contains(logs, "dev mailbox: message not delivered") || !strings.Contains(logs, "code="+code) {
		t.Errorf("the dev mailbox's log line lacks the code; logs:\n%s", logs)
	}
	if res := jane.PostForm(link+"/verify", url.Values{"code": {code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the logged code does not verify: status %d", res.StatusCode)
	}
	// The exception covers mail only: keys and sessions stay out of the logs in dev mode too.
	for name, value := range map[string]string{"API key": sender.APIKey, "signer session": jane.Cookie("signet"), "CSRF token": jane.CSRF} {
		if value != "" && strings.Contains(app.Logs.String(), value) {
			t.Errorf("dev mode logged the %s", name)
		}
	}
}
