package notify_test

import (
	"context"
	"errors"
	"net/mail"
	"strings"
	"testing"
	"time"

	"signet/notify"
	"signet/notify/smtptest"
)

// hardNames are display names that break hand-built "Name" <addr> headers.
var hardNames = []string{
	`Tom "T@m" Ray`, `Ann \`, `Li <li@x>`, `Doe, John; Jr.`, `Robert "Bob" Smith`,
	`Zoë Łukasiewicz-Müller`, `山田 太郎`, `O'Brien (CEO)`, `a\"b`, `"`, `\\`, `Name: with colon`,
}

// Every header address reaches the SMTP server quoted per RFC 5322 and parses back to the exact name.
func TestSMTPMailerKeepsHardNamesIntact(t *testing.T) {
	srv := smtptest.Start(t)
	for i, name := range hardNames {
		rcpt := "r" + string(rune('a'+i)) + "@example.com"
		from := (&mail.Address{Name: name + " via Signet", Address: "no-reply@signet.test"}).String()
		m, err := notify.NewSMTPMailer(srv.URL(), from, notify.WithTimeout(5*time.Second))
		if err != nil {
			t.Fatalf("From %q: %v", from, err)
		}
		msg := notify.Message{To: rcpt, ToName: name, ReplyTo: "sender@example.com", ReplyToName: name, Subject: "s", Text: "t", HTML: "<p>t</p>"}
		if err := m.Send(context.Background(), msg); err != nil {
			t.Fatalf("name %q: Send: %v", name, err)
		}
		got := srv.WaitFor(t, to(rcpt))
		for header, want := range map[string]mail.Address{
			"To":       {Name: name, Address: rcpt},
			"Reply-To": {Name: name, Address: "sender@example.com"},
			"From":     {Name: name + " via Signet", Address: "no-reply@signet.test"},
		} {
			parsed, err := mail.ParseAddress(got.Header.Get(header))
			if err != nil {
				t.Errorf("name %q: %s header %q does not parse: %v", name, header, got.Header.Get(header), err)
				continue
			}
			if *parsed != want {
				t.Errorf("name %q: %s parsed back as %q <%s>, want %q <%s>", name, header, parsed.Name, parsed.Address, want.Name, want.Address)
			}
		}
	}
}

// An address that is not a bare mailbox cannot be sent; the error says retrying will not help.
func TestSMTPMailerRefusesAnAddressThatIsNotBare(t *testing.T) {
	srv := smtptest.Start(t)
	for _, addr := range []string{"Eve <eve@example.com>", "a@example.com, b@example.com", "not-an-address", ""} {
		err := newMailer(t, srv).Send(context.Background(), notify.Message{To: addr, Subject: "s", Text: "t"})
		if !errors.Is(err, notify.ErrUnsendable) || !notify.IsPermanent(err) {
			t.Errorf("To %q: err %v, want a permanent ErrUnsendable", addr, err)
		}
	}
	if n := len(srv.Messages()); n != 0 {
		t.Fatalf("%d messages arrived, want none", n)
	}
}

// The reason shown to senders carries the server's reply, or what went wrong with the message.
func TestFailureReasonNamesTheCause(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectRecipient("gone@example.com")
	err := newMailer(t, srv).Send(context.Background(), notify.Message{To: "gone@example.com", Subject: "s", Text: "t"})
	if r := notify.FailureReason(err); !strings.HasPrefix(r, "the mail server answered: ") || !strings.Contains(r, "550") {
		t.Errorf("refused: reason %q, want the server's 550 reply", r)
	}
	err = newMailer(t, srv).Send(context.Background(), notify.Message{To: "Eve <eve@example.com>", Subject: "s", Text: "t"})
	if r := notify.FailureReason(err); !strings.HasPrefix(r, "the message could not be built: ") || !strings.Contains(r, "eve@example.com") {
		t.Errorf("unbuildable: reason %q", r)
	}
}
