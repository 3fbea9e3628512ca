package models

import (
	"context"
	"fmt"
	"time"
)

// AttemptCounter counts attempts in one bucket (an account, an address and an account, …)
// during a fixed window that starts with the bucket's first attempt.
type AttemptCounter struct {
	Bucket        string `gorm:"primaryKey;size:500"`
	WindowStartNS int64  `gorm:"not null;index"`
	N             int    `gorm:"not null"`
}

// reserveAttemptSQL counts one more attempt unless the bucket's window is full; the single
// upsert is atomic on SQLite and on PostgreSQL (ON CONFLICT locks the row and re-checks WHERE).
const reserveAttemptSQL = `INSERT INTO attempt_counters (bucket, window_start_ns, n) VALUES (?, ?, 1)
ON CONFLICT (bucket) DO UPDATE SET
  n = CASE WHEN attempt_counters.window_start_ns <= ? THEN 1 ELSE attempt_counters.n + 1 END,
  window_start_ns = CASE WHEN attempt_counters.window_start_ns <= ? THEN excluded.window_start_ns ELSE attempt_counters.window_start_ns END
WHERE attempt_counters.window_start_ns <= ? OR attempt_counters.n < ?
RETURNING n`

// ReserveAttempt counts an attempt in bucket when fewer than limit were made in the window;
// when the window is full it reports how long until it ends.
func (s *Store) ReserveAttempt(ctx context.Context, bucket string, now time.Time, window time.Duration, limit int) (ok bool, retryAfter time.Duration, err error) {
	if limit <= 0 {
		return false, window, nil
	}
	expired := now.Add(-window).UnixNano()
	var counts []int
	if err := s.ctx(ctx).Raw(reserveAttemptSQL, bucket, now.UnixNano(), expired, expired, expired, limit).Scan(&counts).Error; err != nil {
		return false, 0, fmt.Errorf("models: unable to reserve attempt: %w", err)
	}
	if len(counts) == 1 {
		return true, 0, nil
	}
	var c AttemptCounter
	if err := s.ctx(ctx).First(&c, "bucket = ?", bucket).Error; err != nil {
		return false, 0, fmt.Errorf("models: unable to read attempt counter: %w", notFound(err))
	}
	return false, max(time.Unix(0, c.WindowStartNS).Add(window).Sub(now), time.Second), nil
}

// ReleaseAttempt gives back one reserved attempt (it was not used, or it succeeded).
func (s *Store) ReleaseAttempt(ctx context.Context, bucket string) error {
	if err := s.ctx(ctx).Exec("UPDATE attempt_counters SET n = n - 1 WHERE bucket = ? AND n > 0", bucket).Error; err != nil {
		return fmt.Errorf("models: unable to release attempt: %w", err)
	}
	return nil
}

// ClearAttempts forgets the buckets' attempts (a success ends the guessing).
func (s *Store) ClearAttempts(ctx context.Context, buckets ...string) error {
	if len(buckets) == 0 {
		return nil
	}
	if err := s.ctx(ctx).Where("bucket IN ?", buckets).Delete(&AttemptCounter{}).Error; err != nil {
		return fmt.Errorf("models: unable to clear attempts: %w", err)
	}
	return nil
}

// DeleteAttemptsBefore removes counters whose window ended before t, so floods of made-up
// names leave no rows behind.
func (s *Store) DeleteAttemptsBefore(ctx context.Context, t time.Time) (int64, error) {
	res := s.ctx(ctx).Where("window_start_ns < ?", t.UnixNano()).Delete(&AttemptCounter{})
	if res.Error != nil {
		return 0, fmt.Errorf("models: unable to delete old attempts: %w", res.Error)
	}
	return res.RowsAffected, nil
}
