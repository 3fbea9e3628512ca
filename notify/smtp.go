package notify

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// SMTPMailer delivers messages over SMTP; see NewSMTPMailer for the URL it takes.
type SMTPMailer struct {
	cfg  smtpConfig
	from *mail.Address
}

var _ Mailer = (*SMTPMailer)(nil)

// NewSMTPMailer builds a mailer from an SMTP URL and a From such as "Signet <no-reply@example.com>":
//
//	smtp://[user:pass@]host[:port]   STARTTLS when offered; port 587 with a user, else 25
//	smtps://[user:pass@]host[:port]  implicit TLS; port 465
//
// Query parameters: tls=none|opportunistic|required (smtp only; none is for local test
// servers), auth=PLAIN|LOGIN|CRAM-MD5|SCRAM-SHA-256|… (default: the strongest mechanism
// the server offers, PLAIN/LOGIN only under TLS), timeout=30s (default 15s). No user, no AUTH.
func NewSMTPMailer(rawURL, from string, opts ...Option) (*SMTPMailer, error) {
	cfg, err := parseSMTPURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	addr, err := mail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("notify: invalid From %q (want \"Name <addr@example.com>\"): %w", from, err)
	}
	// Build one client now so option errors surface at start-up, not at the first send.
	if _, err := gomail.NewClient(cfg.host, cfg.clientOptions(cfg.timeout)...); err != nil {
		return nil, fmt.Errorf("notify: SMTP client: %w", err)
	}
	return &SMTPMailer{cfg: cfg, from: addr}, nil
}

// Send delivers m in one SMTP conversation bounded by the timeout and ctx's deadline.
func (s *SMTPMailer) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	msg, err := s.compose(m)
	if err != nil {
		return fmt.Errorf("notify: %w", &unsendableError{err})
	}
	timeout := s.cfg.timeout
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < timeout {
		timeout = max(time.Until(dl), time.Millisecond)
	}
	// A client per send: go-mail clients keep per-connection auth state, so sharing one races.
	client, err := gomail.NewClient(s.cfg.host, s.cfg.clientOptions(timeout)...)
	if err != nil {
		return fmt.Errorf("notify: SMTP client: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("notify: SMTP %s: %w", net.JoinHostPort(s.cfg.host, strconv.Itoa(s.cfg.port)), err)
	}
	return nil
}

// ErrUnsendable: the message itself cannot be built (say, an invalid address); retrying cannot help.
var ErrUnsendable = errors.New("message cannot be sent")

// unsendableError is ErrUnsendable with its cause.
type unsendableError struct{ cause error }

func (e *unsendableError) Error() string        { return ErrUnsendable.Error() + ": " + e.cause.Error() }
func (e *unsendableError) Is(target error) bool { return target == ErrUnsendable }
func (e *unsendableError) Unwrap() error        { return e.cause }

// FailureReason says in a sentence fragment why a delivery failed, for the sender's page: the
// server's reply when there is one, without the mailer's own prefixes.
func FailureReason(err error) string {
	var ue *unsendableError
	if errors.As(err, &ue) {
		return "the message could not be built: " + ue.cause.Error()
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		return "the mail server answered: " + se.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "the mail server did not answer in time"
	}
	return "the mail server could not be reached"
}

// IsPermanent reports whether err is a failure that retrying cannot fix: an unbuildable message
// or an SMTP rejection (a 5xx reply such as an unknown mailbox); timeouts, 4xx replies and
// network errors are not.
func IsPermanent(err error) bool {
	if errors.Is(err, ErrUnsendable) {
		return true
	}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	return code >= 500 && code < 600
}

// newMessageID makes a Message-ID under the From domain, not this host's name.
func newMessageID(from *mail.Address) string {
	domain := "localhost"
	if at := strings.LastIndexByte(from.Address, '@'); at >= 0 {
		domain = from.Address[at+1:]
	}
	return rand.Text() + "@" + domain
}
