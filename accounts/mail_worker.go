package accounts

import (
	"context"
	"fmt"

	"github.com/riverqueue/river"

	"signet/jobs"
	"signet/notify"
)

// AccountEmailWorker renders and delivers the emails about a sender's own account.
type AccountEmailWorker struct {
	river.WorkerDefaults[jobs.AccountEmailArgs]
	Service *Service
}

// Work is called by River; a refusal for good (5xx) is not retried.
func (w *AccountEmailWorker) Work(ctx context.Context, job *river.Job[jobs.AccountEmailArgs]) error {
	s := w.Service
	u, err := s.store.UserByID(ctx, job.Args.UserID)
	if err != nil {
		return river.JobCancel(fmt.Errorf("accounts: account email: %w", err))
	}
	var msg notify.Message
	switch job.Args.Message {
	case jobs.AccountEmailConfirm:
		if u.ConfirmedAt != nil {
			return nil // confirmed meanwhile: the link would only say so
		}
		msg = notify.ConfirmEmailMessage(notify.ConfirmEmail{Name: u.Name, Email: u.Email,
			ConfirmURL: s.confirmURL(u.ID, job.Args.ExpiresAt), ValidHours: int(s.limits.ConfirmationValidity.Hours())})
	case jobs.AccountEmailSignupExisting:
		msg = notify.SignupExistingMessage(notify.SignupExisting{Name: u.Name, Email: u.Email, LoginURL: s.baseURL + "/login"})
	default:
		return river.JobCancel(fmt.Errorf("accounts: unknown account email %q", job.Args.Message))
	}
	msg.OrganizationID = u.OrganizationID
	if err := s.mailer.Send(ctx, msg); err != nil {
		err = fmt.Errorf("accounts: deliver %s email: %w", job.Args.Message, err)
		if notify.IsPermanent(err) {
			return river.JobCancel(err)
		}
		return err
	}
	return nil
}

// RegisterWorkers adds this package's River workers to w, before the queue starts.
func (s *Service) RegisterWorkers(w *river.Workers) {
	river.AddWorker(w, &AccountEmailWorker{Service: s})
}
