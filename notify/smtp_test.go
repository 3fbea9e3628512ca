package notify_test

import (
	"bytes"
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"signet/notify"
	"signet/notify/smtptest"
)

const testFrom = "Signet <no-reply@signet.test>"

func newMailer(t *testing.T, srv *smtptest.Server) *notify.SMTPMailer {
	t.Helper()
	m, err := notify.NewSMTPMailer(srv.URL(), testFrom, notify.WithTLSConfig(srv.ClientTLSConfig()), notify.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatalf("NewSMTPMailer(%s): %v", srv.URL(), err)
	}
	return m
}

func to(addr string) func(smtptest.Mail) bool {
	return func(m smtptest.Mail) bool { return len(m.To) == 1 && m.To[0] == addr }
}

func TestSMTPMailerDeliversTextAndHTML(t *testing.T) {
	srv := smtptest.Start(t)
	link := "http://localhost:8080/s/AbC_dEf-123"
	msg := notify.InvitationMessage(notify.Invitation{
		SenderName: "Ana Silva", SenderEmail: "ana@example.com", DocumentTitle: `NDA <script>alert("x")</script>`,
		RecipientName: "Bob Jones", RecipientEmail: "bob@example.com", SigningURL: link,
	})
	if err := newMailer(t, srv).Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, to("bob@example.com"))
	if got.ParseError != nil {
		t.Fatalf("parse: %v", got.ParseError)
	}
	if got.From != "no-reply@signet.test" {
		t.Errorf("envelope from = %q", got.From)
	}
	if want := `Ana Silva sent you "NDA <script>alert("x")</script>" to sign`; got.Subject != want {
		t.Errorf("subject = %q, want %q", got.Subject, want)
	}
	if h := got.Header.Get("From"); !strings.Contains(h, "no-reply@signet.test") || !strings.Contains(h, "Signet") {
		t.Errorf("From header = %q", h)
	}
	if h := got.Header.Get("To"); !strings.Contains(h, "bob@example.com") || !strings.Contains(h, "Bob Jones") {
		t.Errorf("To header = %q", h)
	}
	if h := got.Header.Get("Reply-To"); !strings.Contains(h, "ana@example.com") {
		t.Errorf("Reply-To header = %q", h)
	}
	if h := got.Header.Get("Message-Id"); !strings.HasSuffix(h, "@signet.test>") {
		t.Errorf("Message-ID = %q, want one under the From domain", h)
	}
	if !strings.Contains(got.Text, "\n"+link+"\n") {
		t.Errorf("text part lacks the link on its own line:\n%s", got.Text)
	}
	if l := smtptest.ExtractLink(got.HTML, "http://localhost:8080/s/"); l != link {
		t.Errorf("link in HTML = %q, want %q", l, link)
	}
	if strings.Contains(got.HTML, "<script>") || !strings.Contains(got.HTML, "&lt;script&gt;") {
		t.Errorf("HTML does not escape the title")
	}
}

func TestSMTPMailerSendsAttachment(t *testing.T) {
	srv := smtptest.Start(t)
	pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 5000)...)
	msg := notify.CompletedMessage(notify.Completed{
		RecipientName: "Bob", RecipientEmail: "bob@example.com", DocumentTitle: "Lease",
		Attachments: []notify.Attachment{{Name: "Lease (signed).pdf", ContentType: "application/pdf", Data: pdf}},
	})
	if err := newMailer(t, srv).Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, to("bob@example.com"))
	if got.Subject != `"Lease" is complete — signed copy attached` {
		t.Errorf("subject = %q", got.Subject)
	}
	if got.Text == "" || got.HTML == "" {
		t.Errorf("missing body part: text %d bytes, html %d bytes", len(got.Text), len(got.HTML))
	}
	if len(got.Attachments) != 1 {
		t.Fatalf("attachments = %d, want 1", len(got.Attachments))
	}
	a := got.Attachments[0]
	if a.Name != "Lease (signed).pdf" || a.ContentType != "application/pdf" || !bytes.Equal(a.Data, pdf) {
		t.Errorf("attachment = %q %q %d bytes (equal=%v)", a.Name, a.ContentType, len(a.Data), bytes.Equal(a.Data, pdf))
	}
}

func TestSMTPMailerCodeStaysOutOfSubject(t *testing.T) {
	srv := smtptest.Start(t)
	msg := notify.CodeMessage(notify.CodeMail{RecipientEmail: "bob@example.com", DocumentTitle: "NDA", Code: "493817", ValidMinutes: 10})
	if err := newMailer(t, srv).Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, to("bob@example.com"))
	if got.Subject != "Your Signet verification code" {
		t.Errorf("subject = %q", got.Subject)
	}
	if c := smtptest.ExtractCode(got.Text); c != "493817" {
		t.Errorf("code in text = %q", c)
	}
	if !strings.Contains(got.HTML, "493817") {
		t.Errorf("HTML lacks the code")
	}
}

func TestSMTPMailerStripsHeaderInjection(t *testing.T) {
	srv := smtptest.Start(t)
	msg := notify.Message{
		To: "bob@example.com", ToName: "Bob\r\nBcc: eve@example.com",
		Subject: "Hello\r\nBcc: eve@example.com", Text: "hi", HTML: "<p>hi</p>",
	}
	if err := newMailer(t, srv).Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}
	got := srv.WaitFor(t, to("bob@example.com"))
	if got.Header.Get("Bcc") != "" || len(got.To) != 1 {
		t.Errorf("injected header reached the message: Bcc=%q rcpts=%v", got.Header.Get("Bcc"), got.To)
	}
	if got.Subject != "Hello Bcc: eve@example.com" {
		t.Errorf("subject = %q", got.Subject)
	}
}

func TestSMTPMailerFailingServerReturnsTemporaryError(t *testing.T) {
	srv := smtptest.Start(t)
	mailer := newMailer(t, srv)
	msg := notify.Message{To: "bob@example.com", Subject: "s", Text: "t", HTML: "<p>t</p>"}
	srv.SetFailing(true)
	err := mailer.Send(context.Background(), msg)
	if err == nil {
		t.Fatal("Send to a failing server succeeded")
	}
	if !strings.HasPrefix(err.Error(), "notify: ") || !strings.Contains(err.Error(), "451") {
		t.Errorf("error = %v", err)
	}
	if notify.IsPermanent(err) {
		t.Errorf("a 451 is reported as permanent")
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("failing server kept a message")
	}
	srv.SetFailing(false)
	if err := mailer.Send(context.Background(), msg); err != nil {
		t.Fatalf("retry after recovery: %v", err)
	}
	srv.WaitFor(t, to("bob@example.com"))
}

func TestSMTPMailerUnreachableServer(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	mailer, err := notify.NewSMTPMailer("smtp://"+addr+"?tls=none", testFrom, notify.WithTimeout(2*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	err = mailer.Send(context.Background(), notify.Message{To: "bob@example.com", Subject: "s", Text: "t"})
	if err == nil || !strings.HasPrefix(err.Error(), "notify: ") {
		t.Errorf("Send to a closed port = %v, want a notify error", err)
	}
}

func TestSMTPMailerCancelledContext(t *testing.T) {
	srv := smtptest.Start(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := newMailer(t, srv).Send(ctx, notify.Message{To: "bob@example.com", Subject: "s", Text: "t"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send with a cancelled context = %v, want context.Canceled", err)
	}
}

func TestSMTPMailerSTARTTLSWithAuth(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithSTARTTLS(), smtptest.WithAuth("mailer", "s3cret"))
	if err := newMailer(t, srv).Send(context.Background(), notify.Message{To: "bob@example.com", Subject: "tls", Text: "t", HTML: "<p>t</p>"}); err != nil {
		t.Fatalf("Send over STARTTLS with AUTH: %v", err)
	}
	srv.WaitFor(t, to("bob@example.com"))
}

func TestSMTPMailerImplicitTLS(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithImplicitTLS(), smtptest.WithAuth("mailer", "s3cret"))
	if !strings.HasPrefix(srv.URL(), "smtps://") {
		t.Fatalf("URL = %s", srv.URL())
	}
	if err := newMailer(t, srv).Send(context.Background(), notify.Message{To: "bob@example.com", Subject: "tls", Text: "t"}); err != nil {
		t.Fatalf("Send over implicit TLS: %v", err)
	}
	srv.WaitFor(t, to("bob@example.com"))
}

func TestSMTPMailerRejectsUntrustedCertificate(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithSTARTTLS())
	mailer, err := notify.NewSMTPMailer(srv.URL(), testFrom, notify.WithTimeout(5*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	if err := mailer.Send(context.Background(), notify.Message{To: "bob@example.com", Subject: "s", Text: "t"}); err == nil {
		t.Fatal("Send trusted a self-signed certificate")
	}
}

func TestSMTPMailerWrongPassword(t *testing.T) {
	srv := smtptest.Start(t, smtptest.WithAuth("mailer", "s3cret"))
	url := strings.Replace(srv.URL(), "s3cret", "wrong", 1)
	mailer, err := notify.NewSMTPMailer(url, testFrom)
	if err != nil {
		t.Fatal(err)
	}
	err = mailer.Send(context.Background(), notify.Message{To: "bob@example.com", Subject: "s", Text: "t"})
	if err == nil {
		t.Fatal("Send with a wrong password succeeded")
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("error repeats the password: %v", err)
	}
}

func TestSMTPMailerRejectedRecipientIsPermanent(t *testing.T) {
	srv := smtptest.Start(t)
	srv.RejectRecipient("nobody@example.com")
	err := newMailer(t, srv).Send(context.Background(), notify.Message{To: "nobody@example.com", Subject: "s", Text: "t"})
	if err == nil || !notify.IsPermanent(err) {
		t.Errorf("Send to a rejected recipient = %v, want a permanent error", err)
	}
}
