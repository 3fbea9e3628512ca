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
