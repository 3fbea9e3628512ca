package accounts

import (
	"context"
	"strings"

	"signet/models"
)

// LoginInput is one log-in attempt.
type LoginInput struct {
	Email, Password, IP string
	DeviceCookie        string // the trusted-device cookie the browser sent, if any
}

// LoginResult is a successful log-in and the trusted-device cookie to set (renewed).
type LoginResult struct {
	User         *models.User
	DeviceCookie string
}

// Login checks the password; the right password of an unconfirmed account sends a fresh link
// instead of logging in.
func (s *Service) Login(ctx context.Context, in LoginInput) (*LoginResult, error) {
	res, err := s.authenticate(ctx, in)
	if err != nil {
		return nil, err
	}
	if res.User.ConfirmedAt == nil {
		if err := s.sendConfirmation(ctx, res.User.ID); err != nil {
			return nil, err
		}
		return nil, ErrUnconfirmed
	}
	return res, nil
}

// authenticate reserves an attempt in every bucket before hashing, so a flood evaluates at
// most the limit; a wrong password keeps its reservation (it is the failure count), a success
// clears the account's and renews the trusted-device cookie.
func (s *Service) authenticate(ctx context.Context, in LoginInput) (*LoginResult, error) {
	email := NormalizeEmail(in.Email)
	u, err := s.store.UserByEmail(ctx, email)
	if err != nil && !models.IsNotFound(err) {
		return nil, err
	}
	var userID, hash string
	if u != nil {
		userID, hash = u.ID, u.PasswordHash
	}
	device := s.trustedDevice(in.DeviceCookie, userID)
	buckets := loginBuckets(s.limits, email, in.IP, device)
	if err := s.reserve(ctx, CodeLoginThrottled, buckets); err != nil {
		return nil, err
	}
	ok, err := s.hasher.Compare(ctx, in.Password, hash)
	if err != nil {
		s.giveBack(ctx, buckets) // not evaluated: it must not count as a failure
		return nil, err
	}
	if u == nil || !ok {
		return nil, ErrBadCredentials
	}
	if err := s.succeeded(ctx, buckets); err != nil {
		return nil, err
	}
	if device == "" {
		device = newDeviceID()
	}
	return &LoginResult{User: u, DeviceCookie: s.deviceCookieValue(u.ID, device)}, nil
}

// NormalizeEmail is the form every email is stored and looked up in.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }
