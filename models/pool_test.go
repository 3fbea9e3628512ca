package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"signet/internal/testapp"
	"signet/models"
)

// The acquire deadline bounds only the wait for a connection: with the one connection taken a
// query fails fast with ErrBusy, while a query slower than the deadline that has its connection
// runs to the end; the pool never opens more than its bound.
func TestPoolFailsFastOnlyWhileWaiting(t *testing.T) {
	url := testapp.FreshDatabaseURL(t)
	if url == "" {
		t.Skip("the bounded pool is PostgreSQL's; run with " + testapp.EnvPostgres)
	}
	db, err := models.OpenPool("postgres", url, models.Pool{MaxConns: 1, AcquireTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	t.Cleanup(func() { sqlDB.Close() })
	ctx := context.Background()

	if err := db.WithContext(ctx).Exec("SELECT pg_sleep(0.3)").Error; err != nil {
		t.Fatalf("a query longer than the acquire deadline, on a free connection: %v", err)
	}
	held, err := sqlDB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var one int
	err = db.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
	if !errors.Is(err, models.ErrBusy) {
		t.Fatalf("query with the only connection taken: %v, want ErrBusy", err)
	}
	held.Close()
	if err := db.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error; err != nil || one != 1 {
		t.Fatalf("query once the connection is back: %d, %v", one, err)
	}
	var opened int
	db.Raw("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()").Scan(&opened)
	if opened != 1 {
		t.Fatalf("%d connections open, want the pool's bound 1", opened)
	}
}
