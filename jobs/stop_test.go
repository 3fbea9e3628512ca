package jobs_test

import (
	"context"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"signet/internal/testapp"
	"signet/jobs"
	"signet/models"
)

// blockArgs is a job that runs until its context ends (or, with Quick, returns at once).
type blockArgs struct {
	Quick bool `json:"quick"`
}

func (blockArgs) Kind() string { return "test_block" }

type blockWorker struct {
	river.WorkerDefaults[blockArgs]
	started chan struct{}
}

func (w *blockWorker) Work(ctx context.Context, job *river.Job[blockArgs]) error {
	if job.Args.Quick {
		return nil
	}
	w.started <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}

// workingQueue starts a queue with the blocking worker on a fresh database.
func workingQueue(t *testing.T, s jobs.Settings) (*jobs.Queue, *gorm.DB, *blockWorker) {
	t.Helper()
	d := testapp.NewDB(t)
	if err := models.Migrate(d.DB); err != nil {
		t.Fatal(err)
	}
	w := &blockWorker{started: make(chan struct{}, 1)}
	workers := river.NewWorkers()
	river.AddWorker(workers, w)
	q, err := jobs.New(t.Context(), d.DB, workers, jobs.Options{PostgresURL: d.PostgresURL(), Settings: s, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return q, d.DB, w
}

func jobState(t *testing.T, db *gorm.DB, kind string) string {
	t.Helper()
	var state string
	if err := db.Raw("SELECT state FROM river_job WHERE kind = ? ORDER BY id DESC LIMIT 1", kind).Scan(&state).Error; err != nil {
		t.Fatal(err)
	}
	return state
}

// Stop gives a running job the grace period, then cancels it and puts it back for the next start,
// instead of leaving it "running" until the rescue delay.
func TestStopCancelsARunningJobAfterTheGraceAndPutsItBack(t *testing.T) {
	q, db, w := workingQueue(t, jobs.Settings{ShutdownGrace: 100 * time.Millisecond})
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := q.Transact(t.Context(), func(tx *gorm.DB) error { return q.Enqueue(t.Context(), tx, blockArgs{}) }); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.started:
	case <-time.After(testapp.WaitTimeout):
		t.Fatal("the job never started")
	}
	if err := q.Stop(context.Background()); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if st := jobState(t, db, "test_block"); st != "available" {
		t.Fatalf("after Stop the interrupted job is %q, want available (worked again on the next start)", st)
	}
}

// Jobs enqueued into River's default queue before the queues were split are still worked.
func TestJobsInTheOldDefaultQueueAreWorked(t *testing.T) {
	q, db, _ := workingQueue(t, jobs.Settings{})
	if err := q.Transact(t.Context(), func(tx *gorm.DB) error { return q.Enqueue(t.Context(), tx, blockArgs{Quick: true}) }); err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("UPDATE river_job SET queue = ?", river.QueueDefault).Error; err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) })
	testapp.Eventually(t, "the old job to be worked", func() bool { return jobState(t, db, "test_block") == "completed" })
}

func TestSettingsRefuseARescueShorterThanATimeout(t *testing.T) {
	if err := (jobs.Settings{FinalizeTimeout: 5 * time.Minute, RescueAfter: 3 * time.Minute}).Validate(); err == nil {
		t.Fatal("a rescue delay shorter than the finalize timeout was accepted: running jobs would be worked twice")
	}
	if err := jobs.DefaultSettings().Validate(); err != nil {
		t.Fatalf("the defaults are refused: %v", err)
	}
}
