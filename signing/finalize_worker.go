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
	"signet/pdf"
	"signet/storage"
)

// FinalizeWorker runs Finalize for a document whose last signer has signed.
type FinalizeWorker struct {
	river.WorkerDefaults[jobs.FinalizeArgs]
	Service *Service
	Limit   time.Duration // one attempt's time limit
	Logger  *slog.Logger
}

// Timeout bounds one attempt, so a stuck stamping frees its worker and is retried.
func (w *FinalizeWorker) Timeout(*river.Job[jobs.FinalizeArgs]) time.Duration { return w.Limit }

// Work is called by River; an error retries the job with back-off (River's error handler logs
// each failed attempt). A failure that retrying cannot mend, or the last attempt, is logged and
// recorded on the document so the sender sees it and can retry. A shutdown's cancellation is
// neither: the job is worked again on the next start.
func (w *FinalizeWorker) Work(ctx context.Context, job *river.Job[jobs.FinalizeArgs]) error {
	err := w.Service.Finalize(ctx, job.Args.DocumentID)
	if err == nil || errors.Is(err, ErrWrongState) || ctx.Err() != nil {
		return err
	}
	if errors.Is(err, models.ErrNotFound) {
		return river.JobCancel(err) // the document is gone: nothing to finalise, nobody to tell
	}
	if permanentFinalizeError(err) || job.Attempt >= job.MaxAttempts {
		w.Logger.ErrorContext(ctx, "finalisation failed; the sender must retry", "document_id", job.Args.DocumentID,
			"attempt", job.Attempt, "permanent", permanentFinalizeError(err), "err", err)
		if rerr := w.Service.recordFinalizeFailure(ctx, job.Args.DocumentID, err); rerr != nil {
			return errors.Join(err, rerr)
		}
		return river.JobCancel(err)
	}
	return err
}

// permanentFinalizeError: the original is gone or pdfcpu cannot read it; waiting will not help.
func permanentFinalizeError(err error) bool {
	return errors.Is(err, storage.ErrNotFound) || errors.Is(err, pdf.ErrInvalid) || errors.Is(err, pdf.ErrEncrypted) || errors.Is(err, pdf.ErrNotPDF)
}

// recordFinalizeFailure puts the failure in the audit trail (the document stays in progress).
func (s *Service) recordFinalizeFailure(ctx context.Context, docID string, cause error) error {
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		if _, err := st.DocumentForUpdate(ctx, docID); err != nil {
			return err
		}
		return s.audit(ctx, st, docID, "", EventFinalizeFailed, Actor{Name: "Signet"}, "Preparing the signed PDF failed: "+cause.Error())
	})
}

// EventFinalizeFailed marks a completion that needs the sender's retry.
const EventFinalizeFailed = "finalize_failed"

// RetryFinalize queues the completion again after a recorded failure.
func (s *Service) RetryFinalize(ctx context.Context, orgID, docID string, a Actor) error {
	return s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		doc, err := st.DocumentForUpdate(ctx, docID)
		if err != nil || doc.OrganizationID != orgID {
			return fmt.Errorf("signing: retry: %w", models.ErrNotFound)
		}
		if doc.Status != models.DocInProgress || nextRound(doc.Recipients) != 0 {
			return stateErr("Only a document that everyone has signed can be prepared again.")
		}
		events, err := st.AuditEvents(ctx, doc.ID)
		if err != nil {
			return err
		}
		failure := ""
		for _, e := range events {
			if e.Event == EventFinalizeFailed {
				failure = e.ID
			}
		}
		if err := s.audit(ctx, st, doc.ID, "", "finalize_retried", a, ""); err != nil {
			return err
		}
		return s.queue.Enqueue(ctx, tx, jobs.FinalizeArgs{DocumentID: doc.ID, AfterFailure: failure})
	})
}

// FinalizeFailed reports whether the latest completion attempt of a signed document failed.
func FinalizeFailed(doc *models.Document, events []models.AuditEvent) bool {
	if doc.Status != models.DocInProgress || nextRound(doc.Recipients) != 0 {
		return false
	}
	for i := len(events) - 1; i >= 0; i-- {
		switch events[i].Event {
		case EventFinalizeFailed:
			return true
		case "finalize_retried", "signed":
			return false
		}
	}
	return false
}
