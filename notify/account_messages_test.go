package notify_test

import (
	"strings"
	"testing"

	"signet/notify"
)

// The confirmation email carries its link in both parts and escapes the name the visitor typed.
func TestConfirmEmailMessage(t *testing.T) {
	in := notify.ConfirmEmail{Name: "Bob " + evil, Email: "bob@example.com", ConfirmURL: "https://sign.example.com/confirm?token=abc.123.xyz", ValidHours: 48}
	m := notify.ConfirmEmailMessage(in)
	if m.Subject != "Confirm your email address for Signet" || m.To != "bob@example.com" || m.Link != in.ConfirmURL {
		t.Errorf("envelope fields = %+v", m)
	}
	if !strings.Contains(m.Text, in.ConfirmURL) || !strings.Contains(m.HTML, in.ConfirmURL) || !strings.Contains(m.Text, "48 hours") {
		t.Errorf("the link or its validity is missing:\n%s", m.Text)
	}
	assertEscaped(t, "confirm", m)
}

// The notice to an existing owner points to log-in and says nothing changed.
func TestSignupExistingMessage(t *testing.T) {
	in := notify.SignupExisting{Name: "Alice " + evil, Email: "alice@example.com", LoginURL: "https://sign.example.com/login"}
	m := notify.SignupExistingMessage(in)
	if m.To != "alice@example.com" || !strings.HasPrefix(m.Subject, "Someone tried to sign up") {
		t.Errorf("envelope fields = %+v", m)
	}
	if !strings.Contains(m.Text, in.LoginURL) || !strings.Contains(m.Text, "unchanged") || !strings.Contains(m.HTML, in.LoginURL) {
		t.Errorf("the notice lacks the log-in link or the reassurance:\n%s", m.Text)
	}
	assertEscaped(t, "signup existing", m)
}
