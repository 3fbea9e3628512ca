package smtptest_test

import (
	"net/smtp"
	"strings"
	"testing"

	"signet/notify/smtptest"
)

// raw is a hand-written message using base64 and RFC 2047, to test the parser apart from go-mail.
const raw = "From: a@example.com\r\n" +
	"To: b@example.com\r\n" +
	"Subject: =?UTF-8?B?SGVsbG8gWm/Dqw==?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=OUT\r\n" +
	"\r\n" +
	"--OUT\r\n" +
	"Content-Type: multipart/alternative; boundary=IN\r\n" +
	"\r\n" +
	"--IN\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"Q29kZTo\r\ngMTIzNDU2\r\n" +
	"--IN\r\n" +
	"Content-Type: text/html; charset=utf-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"<a href=3D\"http://x.test/s/t\">go</a>\r\n" +
	"--IN--\r\n" +
	"--OUT\r\n" +
	"Content-Type: application/pdf\r\n" +
	"Content-Disposition: attachment; filename=\"doc.pdf\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"JVBERi0=\r\n" +
	"--OUT--\r\n"

func TestServerReceivesAndParses(t *testing.T) {
	srv := smtptest.Start(t)
	if !strings.HasSuffix(srv.URL(), "?tls=none") {
		t.Errorf("URL = %s", srv.URL())
	}
	if err := smtp.SendMail(srv.Addr(), nil, "a@example.com", []string{"b@example.com", "c@example.com"}, []byte(raw)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	m := srv.WaitFor(t, func(m smtptest.Mail) bool { return m.Subject == "Hello Zoë" })
	if m.ParseError != nil {
		t.Fatal(m.ParseError)
	}
	if m.From != "a@example.com" || strings.Join(m.To, ",") != "b@example.com,c@example.com" {
		t.Errorf("envelope %q -> %v", m.From, m.To)
	}
	if m.Text != "Code: 123456" || smtptest.ExtractCode(m.Text) != "123456" {
		t.Errorf("text = %q", m.Text)
	}
	if smtptest.ExtractLink(m.HTML, "http://x.test/s/") != "http://x.test/s/t" {
		t.Errorf("html = %q", m.HTML)
	}
	if len(m.Attachments) != 1 || m.Attachments[0].Name != "doc.pdf" || string(m.Attachments[0].Data) != "%PDF-" {
		t.Errorf("attachments = %+v", m.Attachments)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Errorf("Messages() has %d", n)
	}
}

func TestServerFailing(t *testing.T) {
	srv := smtptest.Start(t)
	srv.SetFailing(true)
	err := smtp.SendMail(srv.Addr(), nil, "a@example.com", []string{"b@example.com"}, []byte(raw))
	if err == nil || !strings.Contains(err.Error(), "451") {
		t.Errorf("SendMail to a failing server = %v, want a 451", err)
	}
	if len(srv.Messages()) != 0 {
		t.Errorf("failing server kept the message")
	}
}
