package notify

import (
	"strings"
	"time"
)

// Invitation asks a recipient to sign; Reminder re-sends it with a "Reminder:" subject.
type Invitation struct {
	SenderName, SenderEmail, OrgName, DocumentTitle, Message string
	RecipientName, RecipientEmail, SigningURL                string
	ExpiresAt                                                *time.Time // shown as a date in ExpiresAt's location
	Reminder                                                 bool
}

// CodeMail carries a one-time verification code.
type CodeMail struct {
	RecipientName, RecipientEmail, DocumentTitle, Code string
	ValidMinutes                                       int // 0 leaves the expiry sentence out
}

// Completed tells a signer (or, with IsSender, the sender) that everyone has signed.
// Attachments (normally the sealed PDF) are sent with the message.
type Completed struct {
	RecipientName, RecipientEmail, DocumentTitle, DocumentURL string
	IsSender                                                  bool
	Attachments                                               []Attachment
}

// Declined tells the sender that a recipient declined.
type Declined struct {
	SenderName, SenderEmail, DocumentTitle, RecipientName, Reason, DocumentURL string
}

// InvitationMessage: subject `<SenderName> sent you "<Title>" to sign`; replies go to the sender.
func InvitationMessage(in Invitation) Message {
	from := firstNonEmpty(in.SenderName, in.OrgName, "Someone")
	subject := clip(from, 60) + " sent you " + quote(in.DocumentTitle) + " to sign"
	if in.Reminder {
		subject = "Reminder: " + subject
	}
	v := struct {
		frame
		Invitation
		From, Expires string
	}{
		frame: frame{
			Subject: subject, Greeting: greeting(in.RecipientName), Org: in.OrgName,
			Preheader:   from + " is waiting for your signature.",
			ButtonLabel: "Review and sign", ButtonURL: in.SigningURL,
		},
		Invitation: in,
		From:       from,
	}
	if in.ExpiresAt != nil {
		v.Expires = in.ExpiresAt.Format("January 2, 2006")
	}
	text, html := render("invitation", v)
	return Message{
		To: in.RecipientEmail, ToName: in.RecipientName,
		ReplyTo: in.SenderEmail, ReplyToName: in.SenderName,
		Subject: headerSafe(subject), Text: text, HTML: html, Link: in.SigningURL,
	}
}

// CodeMessage keeps the code out of the subject and preview line (lock screens show them).
func CodeMessage(in CodeMail) Message {
	const subject = "Your Signet verification code"
	v := struct {
		frame
		CodeMail
	}{
		frame: frame{
			Subject: subject, Greeting: greeting(in.RecipientName),
			Preheader: "Enter this code on the signing page to continue.",
		},
		CodeMail: in,
	}
	text, html := render("code", v)
	return Message{
		To: in.RecipientEmail, ToName: in.RecipientName,
		Subject: subject, Text: text, HTML: html, Code: in.Code,
	}
}

// CompletedMessage: signers get the signed copy attached; the sender gets a link to the document.
func CompletedMessage(in Completed) Message {
	subject := quote(in.DocumentTitle) + " is complete"
	label := "Download the signed copy"
	switch {
	case in.IsSender:
		subject = quote(in.DocumentTitle) + " has been signed by everyone"
		label = "View the document"
	case len(in.Attachments) > 0:
		subject += " — signed copy attached"
	}
	v := struct {
		frame
		Completed
		HasAttachment bool
	}{
		frame: frame{
			Subject: subject, Greeting: greeting(in.RecipientName),
			Preheader:   "Everyone has signed. The document is complete.",
			ButtonLabel: label, ButtonURL: in.DocumentURL,
		},
		Completed:     in,
		HasAttachment: len(in.Attachments) > 0,
	}
	text, html := render("completed", v)
	return Message{
		To: in.RecipientEmail, ToName: in.RecipientName,
		Subject: headerSafe(subject), Text: text, HTML: html, Link: in.DocumentURL,
		Attachments: in.Attachments,
	}
}

// DeclinedMessage tells the sender who declined and why.
func DeclinedMessage(in Declined) Message {
	who := firstNonEmpty(in.RecipientName, "A recipient")
	subject := clip(who, 60) + " declined to sign " + quote(in.DocumentTitle)
	v := struct {
		frame
		Declined
		Who string
	}{
		frame: frame{
			Subject: subject, Greeting: greeting(in.SenderName),
			Preheader:   who + " declined to sign.",
			ButtonLabel: "View the document", ButtonURL: in.DocumentURL,
		},
		Declined: in,
		Who:      who,
	}
	text, html := render("declined", v)
	return Message{
		To: in.SenderEmail, ToName: in.SenderName,
		Subject: headerSafe(subject), Text: text, HTML: html, Link: in.DocumentURL,
	}
}

// Cancelled tells a recipient that the sender withdrew the document.
type Cancelled struct {
	SenderName, OrgName, DocumentTitle, RecipientName, RecipientEmail, Reason string
}

// CancelledMessage: subject `"<Title>" was cancelled`.
func CancelledMessage(in Cancelled) Message {
	from := firstNonEmpty(in.SenderName, in.OrgName, "The sender")
	subject := quote(in.DocumentTitle) + " was cancelled"
	v := struct {
		frame
		Cancelled
		From string
	}{
		frame:     frame{Subject: subject, Greeting: greeting(in.RecipientName), Org: in.OrgName, Preheader: from + " cancelled this signing request."},
		Cancelled: in,
		From:      from,
	}
	text, html := render("cancelled", v)
	return Message{To: in.RecipientEmail, ToName: in.RecipientName, Subject: headerSafe(subject), Text: text, HTML: html}
}

func greeting(name string) string {
	if name = strings.TrimSpace(name); name == "" {
		return "Hello,"
	}
	return "Hi " + name + ","
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// clip shortens a user-supplied value for a subject line, on a rune boundary.
func clip(s string, n int) string {
	s = headerSafe(s)
	if r := []rune(s); len(r) > n {
		return strings.TrimSpace(string(r[:n-1])) + "…"
	}
	return s
}

// quote puts a clipped document title in straight double quotes for a subject line.
func quote(title string) string {
	return `"` + clip(title, 100) + `"`
}
