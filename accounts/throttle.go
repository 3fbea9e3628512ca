package accounts

import (
	"context"
	"errors"
	"time"
)

// bucket is one counter a request must find room in before any password is hashed.
type bucket struct {
	key    string
	limit  int
	window time.Duration
	// clearOnSuccess: a success forgets the bucket (the account's own counts); otherwise a
	// success only gives its reservation back (the address-wide ceiling counts failures).
	clearOnSuccess bool
}

// sweepEvery reservations, counters whose window ended are deleted.
const sweepEvery = 256

// reserve takes one attempt in every bucket, in order; when one is full it gives back the
// ones already taken, so a refused request counts nowhere.
func (s *Service) reserve(ctx context.Context, code string, buckets []bucket) error {
	now := s.now()
	if s.reservations.Add(1)%sweepEvery == 0 {
		if _, err := s.store.DeleteAttemptsBefore(ctx, now.Add(-s.longestWindow())); err != nil {
			s.logger.Warn("unable to sweep old attempt counters", "err", err)
		}
	}
	for i, b := range buckets {
		ok, retry, err := s.store.ReserveAttempt(ctx, b.key, now, b.window, b.limit)
		if err == nil && ok {
			continue
		}
		s.giveBack(ctx, buckets[:i])
		if err != nil {
			return err
		}
		return &ThrottledError{Code: code, RetryAfter: retry}
	}
	return nil
}

// giveBack returns the reservations of a request that was not evaluated.
func (s *Service) giveBack(ctx context.Context, buckets []bucket) {
	for _, b := range buckets {
		if err := s.store.ReleaseAttempt(context.WithoutCancel(ctx), b.key); err != nil {
			s.logger.Warn("unable to give back an attempt", "err", err)
		}
	}
}

// succeeded clears the account's buckets and gives back the address-wide reservation.
func (s *Service) succeeded(ctx context.Context, buckets []bucket) error {
	var clear []string
	var errs []error
	for _, b := range buckets {
		if b.clearOnSuccess {
			clear = append(clear, b.key)
		} else {
			errs = append(errs, s.store.ReleaseAttempt(ctx, b.key))
		}
	}
	errs = append(errs, s.store.ClearAttempts(ctx, clear...))
	return errors.Join(errs...)
}

func (s *Service) longestWindow() time.Duration {
	return max(s.limits.LoginWindow, s.limits.SignupWindow)
}

func loginBuckets(l Limits, email, ip, trustedDevice string) []bucket {
	if trustedDevice != "" { // a device this account logged in from: its own failures only
		return []bucket{{key: "login-device:" + trustedDevice, limit: l.LoginFailuresPerDevice, window: l.LoginWindow, clearOnSuccess: true}}
	}
	return []bucket{
		{key: "login-ip:" + ip, limit: l.LoginFailuresPerIP, window: l.LoginWindow},
		{key: "login-ip-account:" + ip + " " + email, limit: l.LoginFailuresPerIPAcct, window: l.LoginWindow, clearOnSuccess: true},
		{key: "login-account:" + email, limit: l.LoginFailuresPerAccount, window: l.LoginWindow, clearOnSuccess: true},
	}
}
