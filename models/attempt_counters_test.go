package models_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Reservations stop at the limit, say when the window ends, start afresh after it, and can be
// given back or cleared.
func TestReserveAttemptWindow(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		if ok, _, err := st.ReserveAttempt(ctx, "b", t0.Add(time.Duration(i)*time.Minute), 15*time.Minute, 3); err != nil || !ok {
			t.Fatalf("reservation #%d: ok=%v err=%v", i+1, ok, err)
		}
	}
	ok, retry, err := st.ReserveAttempt(ctx, "b", t0.Add(5*time.Minute), 15*time.Minute, 3)
	if err != nil || ok || retry != 10*time.Minute {
		t.Fatalf("4th reservation: ok=%v retry=%v err=%v, want refused with 10m left", ok, retry, err)
	}
	if ok, _, _ := st.ReserveAttempt(ctx, "other", t0, 15*time.Minute, 3); !ok {
		t.Fatal("another bucket is affected")
	}
	if err := st.ReleaseAttempt(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	if ok, _, _ := st.ReserveAttempt(ctx, "b", t0.Add(6*time.Minute), 15*time.Minute, 3); !ok {
		t.Fatal("a given-back reservation is not free again")
	}
	if ok, _, _ := st.ReserveAttempt(ctx, "b", t0.Add(7*time.Minute), 15*time.Minute, 3); ok {
		t.Fatal("more than the limit after a give-back")
	}
	if ok, _, _ := st.ReserveAttempt(ctx, "b", t0.Add(15*time.Minute), 15*time.Minute, 3); !ok {
		t.Fatal("a new window did not start after the old one ended")
	}
	if err := st.ClearAttempts(ctx, "b"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if ok, _, _ := st.ReserveAttempt(ctx, "b", t0.Add(16*time.Minute), 15*time.Minute, 3); !ok {
			t.Fatalf("after clearing, reservation #%d refused", i+1)
		}
	}
	n, err := st.DeleteAttemptsBefore(ctx, t0.Add(10*time.Minute))
	if err != nil || n != 1 { // "other" started at t0; "b" restarted at t0+15m
		t.Fatalf("swept %d counters (%v), want 1", n, err)
	}
}

// 50 concurrent reservations in one bucket with a limit of 10: exactly 10 succeed.
func TestReserveAttemptIsAtomic(t *testing.T) {
	st, _ := newStore(t)
	now := time.Now()
	var won atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, _, err := st.ReserveAttempt(context.Background(), "hot", now, time.Minute, 10)
			if err != nil {
				t.Error(err)
			}
			if ok {
				won.Add(1)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 10 {
		t.Fatalf("%d reservations succeeded, want exactly 10", won.Load())
	}
}
