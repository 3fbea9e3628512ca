package testapp

import (
	"testing"
	"time"
)

// WaitTimeout is a safety net for background jobs, never a performance assertion.
const WaitTimeout = 20 * time.Second

// Eventually polls cond until it holds, failing the test after WaitTimeout.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(WaitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// WaitJobsIdle waits until no background job is waiting or running, so that what jobs write (for
// example the audit events of deliveries) is all in before a test counts rows.
func (a *App) WaitJobsIdle() {
	a.T.Helper()
	Eventually(a.T, "background jobs to finish", func() bool {
		var n int64
		err := a.DB.Raw("SELECT count(*) FROM river_job WHERE state IN ('available', 'pending', 'running', 'retryable', 'scheduled')").Scan(&n).Error
		return err == nil && n == 0
	})
}
