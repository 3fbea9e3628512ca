package testapp

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"signet/notify/smtptest"
)

// SignerDoc is a document created through the API, with each recipient's signing link.
type SignerDoc struct {
	ID         string
	Recipients []SignerRecipient
}

// SignerRecipient is one recipient of a SignerDoc.
type SignerRecipient struct {
	ID, Name, Email, Link string
}

// Recipient returns the recipient with this email address, failing the test when there is none.
func (d *SignerDoc) Recipient(t testing.TB, email string) SignerRecipient {
	t.Helper()
	for _, r := range d.Recipients {
		if r.Email == email {
			return r
		}
	}
	t.Fatalf("document %s has no recipient %s", d.ID, email)
	return SignerRecipient{}
}

// CreateDocument creates a document through the API with the sender's key: one email_otp signer per
// address, all in the first round; send=false keeps it a draft.
func (a *App) CreateDocument(key string, send bool, emails ...string) *SignerDoc {
	a.T.Helper()
	recipients := make([]map[string]any, 0, len(emails))
	for _, e := range emails {
		name := strings.ToUpper(e[:1]) + e[1:strings.Index(e, "@")]
		recipients = append(recipients, map[string]any{"name": name, "email": e, "order": 1, "authentication": "email_otp"})
	}
	req := map[string]any{
		"title":      "Test agreement",
		"message":    "Please sign.",
		"filedata":   map[string]string{"name": "agreement.pdf", "content": base64.StdEncoding.EncodeToString(Fixture(a.T, "in-10.pdf"))},
		"recipients": recipients,
		"send":       send,
	}
	var out struct {
		ID         string `json:"id"`
		Recipients []struct {
			ID         string `json:"id"`
			Name       string `json:"name"`
			Email      string `json:"email"`
			SigningURL string `json:"signing_url"`
		} `json:"recipients"`
	}
	res := a.API(key, http.MethodPost, "/api/v1/documents", req, &out)
	if res.StatusCode != http.StatusCreated || out.ID == "" || len(out.Recipients) != len(emails) {
		a.T.Fatalf("create document: status %d, body %s", res.StatusCode, res.Body)
	}
	d := &SignerDoc{ID: out.ID}
	for _, r := range out.Recipients {
		if r.SigningURL == "" {
			a.T.Fatalf("create document: recipient %s has no signing_url", r.Email)
		}
		d.Recipients = append(d.Recipients, SignerRecipient{ID: r.ID, Name: r.Name, Email: r.Email, Link: r.SigningURL})
	}
	return d
}

// SendDocument creates and sends a document from the sender to the addresses (see CreateDocument).
func (a *App) SendDocument(s *Sender, emails ...string) *SignerDoc {
	a.T.Helper()
	return a.CreateDocument(s.APIKey, true, emails...)
}

// IsCodeMail reports whether m is a verification-code email to the address.
func IsCodeMail(m smtptest.Mail, email string) bool {
	return len(m.To) > 0 && strings.EqualFold(m.To[0], email) && strings.Contains(strings.ToLower(m.Subject), "verification code")
}

// CodeMails returns the verification-code emails received for an address so far, oldest first.
func (a *App) CodeMails(email string) []smtptest.Mail {
	var out []smtptest.Mail
	for _, m := range a.SMTP.Messages() {
		if IsCodeMail(m, email) {
			out = append(out, m)
		}
	}
	return out
}

// WaitForCode waits until n verification-code emails have reached the address and returns the code of the n-th.
func (a *App) WaitForCode(email string, n int) string {
	a.T.Helper()
	Eventually(a.T, Sprintf("verification email #%d to %s", n, email), func() bool { return len(a.CodeMails(email)) >= n })
	m := a.CodeMails(email)[n-1]
	code := smtptest.ExtractCode(m.Text)
	if code == "" {
		a.T.Fatalf("no code in the verification email %q", m.Text)
	}
	return code
}

// Login gives a new browser logged in as the sender (POST /login with the sender's password).
func (a *App) Login(s *Sender) *Browser {
	a.T.Helper()
	b := a.NewBrowser()
	b.Get("/login")
	res := b.PostForm("/login", url.Values{"email": {s.User.Email}, "password": {s.Password}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/documents" {
		a.T.Fatalf("login as %s: status %d, location %q", s.User.Email, res.StatusCode, res.Header.Get("Location"))
	}
	b.Follow(res) // log-in rotates the CSRF token: pick up the new one
	return b
}

// RequestCode loads the signing link (which gives the CSRF token) and presses "Send verification code";
// it returns the answer to the POST, not followed.
func (b *Browser) RequestCode(link string) *Response {
	b.T.Helper()
	b.Get(link)
	return b.PostForm(link+"/code", nil)
}

// SubmitCode posts a code on the verify form of the link, loading the form first if the browser has no CSRF token.
func (b *Browser) SubmitCode(link, code string) *Response {
	b.T.Helper()
	if b.CSRF == "" {
		b.Get(link + "/verify")
	}
	return b.PostForm(link+"/verify", url.Values{"code": {code}})
}

// Verify walks the browser through "Send verification code" and the emailed code, failing the test unless
// verification succeeds; it returns the code. No other code email to the address may be on its way.
func (b *Browser) Verify(link, email string) string {
	b.T.Helper()
	n := len(b.App.CodeMails(email))
	if res := b.RequestCode(link); res.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("send code: status %d, body %s", res.StatusCode, res.Body)
	}
	code := b.App.WaitForCode(email, n+1)
	res := b.SubmitCode(link, code)
	if res.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("verify: status %d, body %s", res.StatusCode, res.Body)
	}
	b.Follow(res) // verification rotates the CSRF token: pick up the new one
	return code
}
