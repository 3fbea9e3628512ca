package signing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
	"signet/notify"
)

// maxAttachmentBytes keeps completion emails deliverable; larger PDFs are linked, not attached.
const maxAttachmentBytes = 10 << 20

// EmailWorker renders and delivers one email; SMTP failures retry with River's back-off. The audit
// trail records the delivery once the server accepted it, or the failure once retrying is over.
type EmailWorker struct {
	river.WorkerDefaults[jobs.EmailArgs]
	Service *Service
	Limit   time.Duration // one attempt's time limit
	Logger  *slog.Logger
}

// Timeout bounds one attempt: a hung SMTP server must not hold a worker until the rescue.
func (w *EmailWorker) Timeout(*river.Job[jobs.EmailArgs]) time.Duration { return w.Limit }

// Work is called by River.
func (w *EmailWorker) Work(ctx context.Context, job *river.Job[jobs.EmailArgs]) error {
	msg, err := w.Service.composeEmail(ctx, job.Args)
	if errors.Is(err, models.ErrNotFound) {
		return river.JobCancel(err) // the document or recipient is gone: nobody to tell
	}
	if err != nil {
		return err
	}
	delivered := messageNoun(job.Args.Message) + " emailed to " + deliveredTo(job.Args.Message, msg.To)
	if job.Attempt > 1 && sentOnce(job.Args.Message) {
		// A rescued job whose earlier attempt got through before the process died: do not send twice.
		if done, err := w.Service.deliveredSince(ctx, job.Args, delivered, job.CreatedAt); err != nil || done {
			return err
		}
	}
	if err := w.Service.mailer.Send(ctx, msg); err != nil {
		err = fmt.Errorf("signing: deliver %s email: %w", job.Args.Message, err)
		permanent := notify.IsPermanent(err) // refused for good (5xx) or unbuildable: retrying cannot help
		if ctx.Err() != nil || (!permanent && job.Attempt < job.MaxAttempts) {
			return err
		}
		w.Logger.ErrorContext(ctx, "email not delivered", "message", job.Args.Message, "document_id", job.Args.DocumentID,
			"recipient_id", job.Args.RecipientID, "attempt", job.Attempt, "err", err)
		if rerr := w.Service.recordDelivery(ctx, job.Args, msg, EventEmailFailed, deliveryFailure(job.Args.Message, msg.To, err)); rerr != nil {
			return errors.Join(err, rerr)
		}
		return river.JobCancel(err)
	}
	// The message is out: recording it must not send it again, so a failure here is only logged.
	if err := w.Service.recordDelivery(context.WithoutCancel(ctx), job.Args, msg, EventEmailDelivered, delivered); err != nil {
		w.Logger.ErrorContext(ctx, "email delivered but not recorded", "document_id", job.Args.DocumentID, "err", err)
	}
	return nil
}

// sentOnce: messages a recipient gets once per document, so an earlier delivery of the same text
// to the same recipient means this job already did its work. Codes and reminders repeat.
func sentOnce(message string) bool {
	return message != jobs.EmailCode && message != jobs.EmailReminder
}

// deliveredSince reports whether the audit trail holds this delivery, recorded after the job was queued.
func (s *Service) deliveredSince(ctx context.Context, a jobs.EmailArgs, details string, queued time.Time) (bool, error) {
	events, err := s.store.AuditEvents(ctx, a.DocumentID)
	if err != nil {
		return false, err
	}
	for _, e := range events {
		if e.Event == EventEmailDelivered && e.RecipientID == a.RecipientID && e.Details == details && !e.At.Before(queued) {
			return true, nil
		}
	}
	return false, nil
}

// recordDelivery appends a delivery event for the email's recipient to the document's audit trail.
func (s *Service) recordDelivery(ctx context.Context, a jobs.EmailArgs, msg notify.Message, event, details string) error {
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		if _, err := st.DocumentForUpdate(ctx, a.DocumentID); err != nil { // serialises the audit chain
			return err
		}
		return s.audit(ctx, st, a.DocumentID, a.RecipientID, event, Actor{Name: "Signet"}, details)
	})
}

// deliveryFailure says, for the sender, what was not delivered and why (the error holds no secrets:
// codes are in the body, never in an SMTP reply or an address).
func deliveryFailure(message, to string, err error) string {
	return "The " + lowerFirst(messageNoun(message)) + " to " + deliveredTo(message, to) + " could not be delivered: " + truncate(notify.FailureReason(err), 500)
}

// deliveredTo masks the address of code emails, as the request's own audit event does.
func deliveredTo(message, to string) string {
	if message == jobs.EmailCode {
		return maskEmail(to)
	}
	return to
}

// messageNoun names a message kind for people.
func messageNoun(message string) string {
	switch message {
	case jobs.EmailInvitation:
		return "Invitation"
	case jobs.EmailReminder:
		return "Reminder"
	case jobs.EmailCode:
		return "Verification code"
	case jobs.EmailCompletedSigner, jobs.EmailCompletedSender:
		return "Completion notice"
	case jobs.EmailDeclined:
		return "Decline notice"
	case jobs.EmailCancelled:
		return "Cancellation notice"
	}
	return "Email"
}

func (s *Service) composeEmail(ctx context.Context, a jobs.EmailArgs) (notify.Message, error) {
	doc, err := s.store.DocumentByID(ctx, a.DocumentID)
	if err != nil {
		return notify.Message{}, fmt.Errorf("signing: email: %w", err)
	}
	org, err := s.store.OrganizationByID(ctx, doc.OrganizationID)
	if err != nil {
		return notify.Message{}, err
	}
	sender, err := s.store.UserByID(ctx, doc.CreatedByID)
	if err != nil {
		return notify.Message{}, err
	}
	r := findRecipient(doc, a.RecipientID)
	if r == nil && a.Message != jobs.EmailCompletedSender {
		return notify.Message{}, fmt.Errorf("signing: email: recipient %s: %w", a.RecipientID, models.ErrNotFound)
	}
	var msg notify.Message
	switch a.Message {
	case jobs.EmailInvitation, jobs.EmailReminder:
		msg = notify.InvitationMessage(notify.Invitation{
			SenderName: sender.Name, SenderEmail: sender.Email, OrgName: org.Name, DocumentTitle: doc.Title,
			Message: doc.Message, RecipientName: r.Name, RecipientEmail: r.Email, SigningURL: s.SigningURL(r.ID), ExpiresAt: doc.ExpiresAt,
			Reminder: a.Message == jobs.EmailReminder,
		})
	case jobs.EmailCode:
		code, err := s.keys.Open(a.SealedCode)
		if err != nil {
			return notify.Message{}, err
		}
		msg = notify.CodeMessage(notify.CodeMail{RecipientName: r.Name, RecipientEmail: r.Email, DocumentTitle: doc.Title,
			Code: code, ValidMinutes: int(s.policy.Validity.Minutes())})
	case jobs.EmailCompletedSigner, jobs.EmailCompletedSender:
		c := notify.Completed{DocumentTitle: doc.Title}
		if a.Message == jobs.EmailCompletedSender {
			c.RecipientName, c.RecipientEmail, c.IsSender, c.DocumentURL = sender.Name, sender.Email, true, s.baseURL+"/documents/"+doc.ID
		} else {
			c.RecipientName, c.RecipientEmail, c.DocumentURL = r.Name, r.Email, s.SigningURL(r.ID)
			if signed, err := s.blobs.Get(ctx, doc.SignedKey); err == nil && len(signed) <= maxAttachmentBytes {
				c.Attachments = []notify.Attachment{{Name: fileName(doc.Title) + " (signed).pdf", ContentType: "application/pdf", Data: signed}}
			}
		}
		msg = notify.CompletedMessage(c)
	case jobs.EmailDeclined:
		msg = notify.DeclinedMessage(notify.Declined{SenderName: sender.Name, SenderEmail: sender.Email, DocumentTitle: doc.Title,
			RecipientName: r.Name, Reason: r.DeclineReason, DocumentURL: s.baseURL + "/documents/" + doc.ID})
	case jobs.EmailCancelled:
		msg = notify.CancelledMessage(notify.Cancelled{SenderName: sender.Name, OrgName: org.Name, DocumentTitle: doc.Title,
			RecipientName: r.Name, RecipientEmail: r.Email, Reason: a.Reason})
	default:
		return notify.Message{}, fmt.Errorf("signing: unknown email %q", a.Message)
	}
	msg.OrganizationID = doc.OrganizationID
	return msg, nil
}

// fileName makes a title safe to use as an attachment name.
func fileName(title string) string {
	out := []rune{}
	for _, c := range title {
		if c < 0x20 || c == '/' || c == '\\' || c == '"' || c == ':' || c == '*' || c == '?' || c == '<' || c == '>' || c == '|' {
			c = '_'
		}
		out = append(out, c)
	}
	if len(out) > 100 {
		out = out[:100]
	}
	return string(out)
}

// RegisterWorkers adds every River worker of this package to w, before the queue starts; the
// settings give each kind its time limit, failures that end a job are logged to logger.
func (s *Service) RegisterWorkers(w *river.Workers, settings jobs.Settings, logger *slog.Logger) {
	settings = settings.WithDefaults()
	river.AddWorker(w, &EmailWorker{Service: s, Limit: settings.EmailTimeout, Logger: logger})
	river.AddWorker(w, &FinalizeWorker{Service: s, Limit: settings.FinalizeTimeout, Logger: logger})
}
