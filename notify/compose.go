package notify

import (
	"bytes"
	"errors"
	"fmt"
	"net/mail"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// compose turns a Message into a go-mail Msg; header values pass through headerSafe
// even though go-mail encodes them, because a caller may build Messages by hand.
func (s *SMTPMailer) compose(m Message) (*gomail.Msg, error) {
	if m.To == "" {
		return nil, errors.New("message has no recipient")
	}
	if m.Text == "" && m.HTML == "" {
		return nil, errors.New("message has no body")
	}
	msg := gomail.NewMsg()
	msg.FromMailAddress(&mail.Address{Name: headerSafe(s.from.Name), Address: s.from.Address})
	to, err := address(m.ToName, m.To)
	if err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	msg.AddToMailAddress(to)
	if m.ReplyTo != "" {
		replyTo, err := address(m.ReplyToName, m.ReplyTo)
		if err != nil {
			return nil, fmt.Errorf("reply-to: %w", err)
		}
		msg.ReplyToMailAddress(replyTo)
	}
	msg.Subject(headerSafe(m.Subject))
	msg.SetMessageIDWithValue(newMessageID(s.from))
	msg.SetDate()
	msg.SetUserAgent("Signet")
	// Transactional mail: ask servers not to answer it with vacation replies.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	setBody(msg, m)
	for _, a := range m.Attachments {
		if err := attach(msg, a); err != nil {
			return nil, err
		}
	}
	return msg, nil
}

// address pairs a display name with a bare address; net/mail quotes and encodes the name on
// output (RFC 5322, RFC 2047), so quotes, @, <>, commas and backslashes in names survive intact.
func address(name, addr string) (*mail.Address, error) {
	parsed, err := mail.ParseAddress(addr)
	if err != nil || parsed.Name != "" || parsed.Address != addr {
		return nil, fmt.Errorf("%q is not a bare email address", addr)
	}
	return &mail.Address{Name: headerSafe(name), Address: parsed.Address}, nil
}

// setBody writes text/plain first and text/html as its alternative, so clients that
// render HTML pick it and the rest fall back to text.
func setBody(msg *gomail.Msg, m Message) {
	switch {
	case m.Text == "":
		msg.SetBodyString(gomail.TypeTextHTML, m.HTML)
	case m.HTML == "":
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	default:
		msg.SetBodyString(gomail.TypeTextPlain, m.Text)
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
}

// attach adds one file; the name loses path separators and control characters.
func attach(msg *gomail.Msg, a Attachment) error {
	name := headerSafe(strings.NewReplacer("/", "_", "\\", "_").Replace(a.Name))
	if name == "" {
		name = "attachment"
	}
	ct := a.ContentType
	if ct == "" {
		ct = string(gomail.TypeAppOctetStream)
	}
	if err := msg.AttachReader(name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(headerSafe(ct)))); err != nil {
		return fmt.Errorf("attachment %q: %w", name, err)
	}
	return nil
}
