package signing

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"signet/jobs"
	"signet/models"
	"signet/notify"
)

// maxAttachmentBytes keeps completion emails deliverable; larger PDFs are linked, not attached.
const maxAttachmentBytes = 10 << 20

// EmailWorker renders and delivers one email; SMTP failures retry with River's back-off.
type EmailWorker struct {
	river.WorkerDefaults[jobs.EmailArgs]
	Service *Service
}

// Work is called by River.
func (w *EmailWorker) Work(ctx context.Context, job *river.Job[jobs.EmailArgs]) error {
	msg, err := w.Service.composeEmail(ctx, job.Args)
	if err != nil {
		return err
	}
	if err := w.Service.mailer.Send(ctx, msg); err != nil {
		err = fmt.Errorf("signing: deliver %s email: %w", job.Args.Message, err)
		if notify.IsPermanent(err) { // the server refused for good (5xx): retrying cannot help
			return river.JobCancel(err)
		}
		return err
	}
	return nil
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

// RegisterWorkers adds every River worker of this package to w, before the queue starts.
func (s *Service) RegisterWorkers(w *river.Workers) {
	river.AddWorker(w, &EmailWorker{Service: s})
	river.AddWorker(w, &FinalizeWorker{Service: s})
}
