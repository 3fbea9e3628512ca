package notify_test

import (
	"strings"
	"testing"
	"time"

	"signet/notify"
)

const evil = `<script>alert("x")</script> & <b>`

// assertEscaped checks that no user-supplied markup survives into the HTML part.
func assertEscaped(t *testing.T, name string, m notify.Message) {
	t.Helper()
	if strings.Contains(m.HTML, "<script>") || strings.Contains(m.HTML, "<b>") {
		t.Errorf("%s: HTML contains unescaped user input", name)
	}
	if !strings.Contains(m.HTML, "&lt;script&gt;") {
		t.Errorf("%s: HTML lacks the escaped user input", name)
	}
	if m.Text == "" || m.HTML == "" {
		t.Errorf("%s: empty part", name)
	}
}

func TestInvitationMessage(t *testing.T) {
	exp := time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)
	in := notify.Invitation{
		SenderName: "Ana Silva", SenderEmail: "ana@example.com", OrgName: "Acme " + evil, DocumentTitle: "NDA",
		Message: "Please sign.\n" + evil, RecipientName: "Bob", RecipientEmail: "bob@example.com",
		SigningURL: "https://sign.example.com/s/tok_EN-123", ExpiresAt: &exp,
	}
	m := notify.InvitationMessage(in)
	if m.Subject != `Ana Silva sent you "NDA" to sign` {
		t.Errorf("subject = %q", m.Subject)
	}
	if m.To != "bob@example.com" || m.ToName != "Bob" || m.ReplyTo != "ana@example.com" || m.Link != in.SigningURL || m.Code != "" {
		t.Errorf("envelope fields = %+v", m)
	}
	if !strings.Contains(m.Text, "\n"+in.SigningURL+"\n") || !strings.Contains(m.HTML, `href="`+in.SigningURL+`"`) {
		t.Errorf("link missing or not on its own line")
	}
	if !strings.Contains(m.Text, "March 4, 2026") || !strings.Contains(m.Text, "Hi Bob,") {
		t.Errorf("text lacks expiry or greeting:\n%s", m.Text)
	}
	assertEscaped(t, "invitation", m)

	in.Reminder = true
	if m := notify.InvitationMessage(in); !strings.HasPrefix(m.Subject, "Reminder: Ana Silva sent you") {
		t.Errorf("reminder subject = %q", m.Subject)
	}
}

func TestInvitationMessageHostileInputs(t *testing.T) {
	m := notify.InvitationMessage(notify.Invitation{
		SenderName: "Eve\r\nBcc: x@example.com", DocumentTitle: strings.Repeat("long ", 100) + "\n" + evil,
		RecipientEmail: "bob@example.com", SigningURL: "javascript:alert(1)",
	})
	if strings.ContainsAny(m.Subject, "\r\n") || len([]rune(m.Subject)) > 200 {
		t.Errorf("subject not made header-safe: %q", m.Subject)
	}
	if strings.Contains(m.HTML, `href="javascript:`) {
		t.Errorf("HTML links to a javascript: URL")
	}
	assertEscaped(t, "hostile invitation", m)
}

func TestCodeMessage(t *testing.T) {
	m := notify.CodeMessage(notify.CodeMail{RecipientName: "Bob", RecipientEmail: "bob@example.com", DocumentTitle: evil, Code: "204981", ValidMinutes: 10})
	if m.Subject != "Your Signet verification code" || strings.Contains(m.Subject, "204981") {
		t.Errorf("subject = %q", m.Subject)
	}
	if m.Code != "204981" || m.Link != "" {
		t.Errorf("Code %q Link %q", m.Code, m.Link)
	}
	if !strings.Contains(m.Text, "\n204981\n") || !strings.Contains(m.HTML, ">204981<") {
		t.Errorf("code not shown on its own")
	}
	if !strings.Contains(m.Text, "10 minutes") {
		t.Errorf("text lacks validity")
	}
	preheader := m.HTML[strings.Index(m.HTML, "<body"):strings.Index(m.HTML, "<table")]
	if strings.Contains(preheader, "204981") {
		t.Errorf("preview line contains the code")
	}
	assertEscaped(t, "code", m)
}

func TestCompletedMessage(t *testing.T) {
	att := []notify.Attachment{{Name: "x.pdf", ContentType: "application/pdf", Data: []byte("%PDF-")}}
	signer := notify.CompletedMessage(notify.Completed{RecipientName: "Bob", RecipientEmail: "bob@example.com", DocumentTitle: evil, Attachments: att})
	if !strings.HasSuffix(signer.Subject, `" is complete — signed copy attached`) || len(signer.Attachments) != 1 {
		t.Errorf("signer: subject %q, %d attachments", signer.Subject, len(signer.Attachments))
	}
	if !strings.Contains(signer.Text, "attached") {
		t.Errorf("signer text does not mention the attachment")
	}
	assertEscaped(t, "completed/signer", signer)

	sender := notify.CompletedMessage(notify.Completed{RecipientName: "Ana", RecipientEmail: "ana@example.com", DocumentTitle: "NDA", DocumentURL: "https://sign.example.com/documents/42", IsSender: true})
	if sender.Subject != `"NDA" has been signed by everyone` || sender.Link != "https://sign.example.com/documents/42" {
		t.Errorf("sender: subject %q link %q", sender.Subject, sender.Link)
	}
	if !strings.Contains(sender.Text, "\nhttps://sign.example.com/documents/42\n") || strings.Contains(sender.Text, "attached") {
		t.Errorf("sender text:\n%s", sender.Text)
	}
}

func TestDeclinedMessage(t *testing.T) {
	m := notify.DeclinedMessage(notify.Declined{
		SenderName: "Ana", SenderEmail: "ana@example.com", DocumentTitle: "NDA", RecipientName: "Bob",
		Reason: "Wrong amount " + evil, DocumentURL: "https://sign.example.com/documents/42",
	})
	if m.Subject != `Bob declined to sign "NDA"` || m.To != "ana@example.com" || m.Link != "https://sign.example.com/documents/42" {
		t.Errorf("got %q to %q link %q", m.Subject, m.To, m.Link)
	}
	if !strings.Contains(m.Text, "Wrong amount") || !strings.Contains(m.Text, "Hi Ana,") {
		t.Errorf("text:\n%s", m.Text)
	}
	assertEscaped(t, "declined", m)

	anon := notify.DeclinedMessage(notify.Declined{SenderEmail: "ana@example.com", DocumentTitle: "NDA"})
	if anon.Subject != `A recipient declined to sign "NDA"` || !strings.Contains(anon.Text, "No reason was given.") {
		t.Errorf("anonymous: %q\n%s", anon.Subject, anon.Text)
	}
}
