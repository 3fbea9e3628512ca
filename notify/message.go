// Package notify delivers Signet's email: an SMTP mailer, a dev mailbox that stores
// messages instead of sending them, and the texts of every message Signet sends.
package notify

import (
	"context"
	"strings"
)

// Message is one email, already rendered; both Text and HTML are normally present.
type Message struct {
	OrganizationID string // stored by the dev mailbox; SMTP ignores it
	To, ToName     string
	// ReplyTo lets a recipient answer a person (the sender) instead of the no-reply From.
	ReplyTo, ReplyToName string
	Subject              string
	Text, HTML           string
	Link                 string // the main link in the message; logged only by the dev mailbox
	Code                 string // an OTP contained in the message; logged only by the dev mailbox
	Attachments          []Attachment
}

// Attachment is a file sent along with a Message (for example the signed PDF).
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

// Mailer delivers one Message; implementations must be safe for concurrent use.
type Mailer interface {
	Send(ctx context.Context, m Message) error
}

// headerSafe folds CR, LF and other control characters into spaces so that a value
// placed in a header can never start a new header line.
func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}
