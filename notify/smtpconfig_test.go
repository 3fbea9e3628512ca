package notify

import (
	"strings"
	"testing"
	"time"

	gomail "github.com/wneessen/go-mail"
)

func TestParseSMTPURLDefaults(t *testing.T) {
	tests := []struct {
		url      string
		port     int
		implicit bool
		policy   gomail.TLSPolicy
		user     string
		pass     string
	}{
		{"smtp://mail.example.com", 25, false, gomail.TLSOpportunistic, "", ""},
		{"smtp://u:p%40ss@mail.example.com", 587, false, gomail.TLSOpportunistic, "u", "p@ss"},
		{"smtps://u:p@mail.example.com", 465, true, gomail.TLSOpportunistic, "u", "p"},
		{"smtp://mail.example.com:2525?tls=none", 2525, false, gomail.NoTLS, "", ""},
		{"smtp://mail.example.com?tls=required", 25, false, gomail.TLSMandatory, "", ""},
		{"SMTP://[::1]:1025/", 1025, false, gomail.TLSOpportunistic, "", ""},
	}
	for _, tt := range tests {
		c, err := parseSMTPURL(tt.url)
		if err != nil {
			t.Errorf("%s: %v", tt.url, err)
			continue
		}
		if c.port != tt.port || c.implicit != tt.implicit || c.tlsPolicy != tt.policy || c.user != tt.user || c.pass != tt.pass {
			t.Errorf("%s: got port %d implicit %v policy %v user %q pass %q", tt.url, c.port, c.implicit, c.tlsPolicy, c.user, c.pass)
		}
		if c.timeout != DefaultTimeout {
			t.Errorf("%s: timeout %v", tt.url, c.timeout)
		}
	}
}

func TestParseSMTPURLQuery(t *testing.T) {
	c, err := parseSMTPURL("smtp://u:p@localhost?auth=cram-md5&timeout=3s")
	if err != nil {
		t.Fatal(err)
	}
	if c.auth != gomail.SMTPAuthCramMD5 || c.timeout != 3*time.Second {
		t.Errorf("auth %q timeout %v", c.auth, c.timeout)
	}
}

func TestParseSMTPURLErrors(t *testing.T) {
	tests := []struct{ url, want string }{
		{"", "empty"},
		{"http://u:hunter2@example.com", "scheme must be smtp or smtps"},
		{"mail.example.com:25", "scheme must be smtp or smtps"},
		{"smtp://", "missing host"},
		{"smtp://u:hunter2@example.com:99999", "port"},
		{"smtp://u:hunter2@example.com:abc", "invalid port"},
		{"smtp://example.com?tsl=none", `unknown parameter "tsl"`},
		{"smtp://example.com?tls=maybe", "tls="},
		{"smtps://example.com?tls=none", "does not apply to smtps"},
		{"smtp://example.com?auth=PLAIN", "no user"},
		{"smtp://u:hunter2@example.com?auth=magic", "unknown auth mechanism"},
		{"smtp://example.com?timeout=soon", "timeout"},
		{"smtp://example.com/relay", "unexpected path"},
		{"smtp://u:hunter2@exa mple.com", "invalid"},
	}
	for _, tt := range tests {
		_, err := parseSMTPURL(tt.url)
		if err == nil {
			t.Errorf("%q: no error", tt.url)
			continue
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %q does not mention %q", tt.url, err, tt.want)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%q: error repeats the password: %v", tt.url, err)
		}
	}
}

func TestNewSMTPMailerErrors(t *testing.T) {
	if _, err := NewSMTPMailer("ftp://example.com", "Signet <a@example.com>"); err == nil || !strings.HasPrefix(err.Error(), "notify: ") {
		t.Errorf("bad URL: %v", err)
	}
	if _, err := NewSMTPMailer("smtp://example.com", "not an address"); err == nil || !strings.Contains(err.Error(), "From") {
		t.Errorf("bad From: %v", err)
	}
	m, err := NewSMTPMailer("smtp://example.com", "Signet <no-reply@localhost>")
	if err != nil {
		t.Fatalf("valid config: %v", err)
	}
	if m.from.Name != "Signet" || m.from.Address != "no-reply@localhost" {
		t.Errorf("from = %v", m.from)
	}
}
