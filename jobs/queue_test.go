package jobs_test

import (
	"context"
	"errors"
	"testing"

	"gorm.io/gorm"

	"signet/internal/testapp"
	"signet/jobs"
	"signet/models"
)

// newQueue gives an insert-only queue on a fresh, migrated database (SQLite, or PostgreSQL when
// SIGNET_TEST_DATABASE_URL is set).
func newQueue(t *testing.T) (*jobs.Queue, *gorm.DB) {
	t.Helper()
	ctx := context.Background()
	d := testapp.NewDB(t)
	if err := models.Migrate(d.DB); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(ctx, d.DB, nil, jobs.Options{PostgresURL: d.PostgresURL()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = q.Stop(context.Background()) }) // before the database closes: releases River's pool
	if err := q.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return q, d.DB
}

func jobCount(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Raw("SELECT count(*) FROM river_job").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func orgExists(t *testing.T, db *gorm.DB, id string) bool {
	t.Helper()
	var n int64
	if err := db.Model(&models.Organization{}).Where("id = ?", id).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n == 1
}

// stateChangeAndJob writes an organization and enqueues an email in tx, as a domain change does.
func stateChangeAndJob(ctx context.Context, q *jobs.Queue, tx *gorm.DB, name string) (string, error) {
	org := models.Organization{ID: models.NewID(), Name: name}
	if err := tx.Create(&org).Error; err != nil {
		return org.ID, err
	}
	return org.ID, q.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailInvitation, DocumentID: org.ID, RecipientID: "r-" + name})
}

func TestTransactCommitKeepsStateAndJob(t *testing.T) {
	q, db := newQueue(t)
	ctx := context.Background()
	var orgID string
	err := q.Transact(ctx, func(tx *gorm.DB) error {
		var err error
		orgID, err = stateChangeAndJob(ctx, q, tx, "committed")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := jobCount(t, db); n != 1 {
		t.Fatalf("%d jobs after commit, want 1", n)
	}
	if !orgExists(t, db, orgID) {
		t.Fatal("the state change was lost although the transaction committed")
	}
	var kind, state string
	if err := db.Raw("SELECT kind, state FROM river_job").Row().Scan(&kind, &state); err != nil {
		t.Fatal(err)
	}
	if kind != "email" || state != "available" {
		t.Fatalf("job kind %q state %q, want an available email job", kind, state)
	}
}

func TestTransactErrorRollsBackStateAndJob(t *testing.T) {
	q, db := newQueue(t)
	ctx := context.Background()
	boom := errors.New("boom")
	var orgID string
	err := q.Transact(ctx, func(tx *gorm.DB) error {
		id, err := stateChangeAndJob(ctx, q, tx, "rolled back")
		if err != nil {
			return err
		}
		orgID = id
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Transact returned %v, want the function's error", err)
	}
	if orgID == "" {
		t.Fatal("the state change and the enqueue did not run")
	}
	if n := jobCount(t, db); n != 0 {
		t.Fatalf("%d jobs after rollback, want 0: a job would announce a change that never happened", n)
	}
	if orgExists(t, db, orgID) {
		t.Fatal("the state change survived the rollback")
	}
	// The connection is healthy afterwards: the next transaction commits normally.
	if err := q.Transact(ctx, func(tx *gorm.DB) error { _, err := stateChangeAndJob(ctx, q, tx, "next"); return err }); err != nil {
		t.Fatal(err)
	}
	if n := jobCount(t, db); n != 1 {
		t.Fatalf("%d jobs after the next commit, want 1", n)
	}
}

func TestTransactPanicRollsBackStateAndJob(t *testing.T) {
	q, db := newQueue(t)
	ctx := context.Background()
	var orgID string
	func() {
		defer func() {
			if r := recover(); r != "kaboom" {
				t.Fatalf("recovered %v, want the function's panic to propagate", r)
			}
		}()
		_ = q.Transact(ctx, func(tx *gorm.DB) error {
			id, err := stateChangeAndJob(ctx, q, tx, "panicked")
			if err != nil {
				t.Error(err)
			}
			orgID = id
			panic("kaboom")
		})
	}()
	if n := jobCount(t, db); n != 0 || orgExists(t, db, orgID) {
		t.Fatalf("after a panic: %d jobs, state kept %v; want both rolled back", n, orgExists(t, db, orgID))
	}
}

// A nested transaction (savepoint) that fails undoes only its own state change and job.
func TestTransactNestedRollbackUndoesOnlyTheInnerPart(t *testing.T) {
	q, db := newQueue(t)
	ctx := context.Background()
	var outer, inner string
	err := q.Transact(ctx, func(tx *gorm.DB) error {
		var err error
		if outer, err = stateChangeAndJob(ctx, q, tx, "outer"); err != nil {
			return err
		}
		nested := tx.Transaction(func(tx2 *gorm.DB) error {
			if inner, err = stateChangeAndJob(ctx, q, tx2, "inner"); err != nil {
				return err
			}
			return errors.New("inner fails")
		})
		if nested == nil {
			t.Error("the nested transaction reported success")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !orgExists(t, db, outer) || orgExists(t, db, inner) {
		t.Fatalf("outer kept %v (want true), inner kept %v (want false)", orgExists(t, db, outer), orgExists(t, db, inner))
	}
	if n := jobCount(t, db); n != 1 {
		t.Fatalf("%d jobs, want only the outer one", n)
	}
}

func TestEnqueueOutsideTransactIsRefused(t *testing.T) {
	q, db := newQueue(t)
	err := q.Enqueue(context.Background(), db, jobs.EmailArgs{Message: jobs.EmailInvitation, DocumentID: "d"})
	if err == nil {
		t.Fatal("Enqueue without a transaction succeeded: the job would not commit with a state change")
	}
	if n := jobCount(t, db); n != 0 {
		t.Fatalf("%d jobs, want 0", n)
	}
}

func TestQueueMigrateTwiceIsANoOp(t *testing.T) {
	q, db := newQueue(t)
	ctx := context.Background()
	if err := q.Transact(ctx, func(tx *gorm.DB) error { _, err := stateChangeAndJob(ctx, q, tx, "kept"); return err }); err != nil {
		t.Fatal(err)
	}
	if err := q.Migrate(ctx); err != nil {
		t.Fatalf("second migration: %v", err)
	}
	if n := jobCount(t, db); n != 1 {
		t.Fatalf("%d jobs after migrating again, want the 1 already queued", n)
	}
}
