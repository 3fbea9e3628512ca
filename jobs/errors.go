package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// logFailures reports every failed or panicking job at ERROR: River itself logs them at INFO.
// It logs the job's kind, id, attempt and document, never its other arguments (they may hold
// sealed codes). Jobs cancelled with river.JobCancel never reach it: their workers log them.
type logFailures struct{ logger *slog.Logger }

func (l logFailures) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	msg := "background job failed"
	if errors.Is(err, context.DeadlineExceeded) {
		msg = "background job timed out"
	}
	l.logger.ErrorContext(ctx, msg, "kind", job.Kind, "job_id", job.ID, "document_id", documentID(job),
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (l logFailures) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	l.logger.ErrorContext(ctx, "background job panicked", "kind", job.Kind, "job_id", job.ID, "document_id", documentID(job),
		"attempt", job.Attempt, "panic", panicVal, "trace", trace)
	return nil
}

// documentID reads only the document id from a job's arguments (every Signet job carries one).
func documentID(job *rivertype.JobRow) string {
	var a struct {
		DocumentID string `json:"document_id"`
	}
	_ = json.Unmarshal(job.EncodedArgs, &a)
	return a.DocumentID
}
