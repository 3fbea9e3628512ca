package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// StoredMessage is what the dev mailbox keeps of a Message for the app to display.
type StoredMessage struct {
	OrganizationID, To, Subject, Text, HTML, Link string
	CreatedAt                                     time.Time
}

// MailboxStore persists dev-mailbox messages; the app's database layer implements it.
type MailboxStore interface {
	SaveDevMessage(ctx context.Context, m StoredMessage) error
}

// DevMailbox is the Mailer used when no SMTP server is configured: nothing leaves
// the machine, so the message is stored and its link and code are logged instead.
type DevMailbox struct {
	store  MailboxStore
	logger *slog.Logger
	now    func() time.Time
}

var _ Mailer = (*DevMailbox)(nil)

// NewDevMailbox returns a DevMailbox; a nil logger means slog.Default().
func NewDevMailbox(store MailboxStore, logger *slog.Logger) *DevMailbox {
	if logger == nil {
		logger = slog.Default()
	}
	return &DevMailbox{store: store, logger: logger, now: time.Now}
}

// Send stores m and logs it. This is the one place allowed to log a link or code:
// in dev mode no mail is delivered, so the log is how a developer signs in.
func (d *DevMailbox) Send(ctx context.Context, m Message) error {
	sm := StoredMessage{
		OrganizationID: m.OrganizationID,
		To:             m.To,
		Subject:        headerSafe(m.Subject),
		Text:           m.Text,
		HTML:           m.HTML,
		Link:           m.Link,
		CreatedAt:      d.now().UTC(),
	}
	if err := d.store.SaveDevMessage(ctx, sm); err != nil {
		return fmt.Errorf("notify: dev mailbox: save: %w", err)
	}
	d.logger.InfoContext(ctx, "dev mailbox: message not delivered",
		slog.String("to", m.To),
		slog.String("subject", sm.Subject),
		slog.String("link", m.Link),
		slog.String("code", m.Code),
	)
	return nil
}
