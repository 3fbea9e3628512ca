package jobs

import (
	"context"
	"log/slog"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// logFailures reports every failed or panicking job at ERROR: River itself logs them at INFO.
// It logs the job's kind, id and attempt, never its arguments (they may hold sealed codes).
type logFailures struct{ logger *slog.Logger }

func (l logFailures) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	l.logger.ErrorContext(ctx, "background job failed", "kind", job.Kind, "job_id", job.ID,
		"attempt", job.Attempt, "max_attempts", job.MaxAttempts, "err", err)
	return nil
}

func (l logFailures) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	l.logger.ErrorContext(ctx, "background job panicked", "kind", job.Kind, "job_id", job.ID,
		"attempt", job.Attempt, "panic", panicVal, "trace", trace)
	return nil
}
