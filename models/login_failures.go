package models

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// LoginFailure is one wrong password, kept to slow down guessing.
type LoginFailure struct {
	ID    string    `gorm:"primaryKey;size:36"`
	Email string    `gorm:"size:320;index;not null"`
	IP    string    `gorm:"size:64;index"`
	At    time.Time `gorm:"index;not null"`
}

// RecordLoginFailure notes a wrong password for an email from an IP.
func (s *Store) RecordLoginFailure(ctx context.Context, email, ip string, at time.Time) error {
	f := &LoginFailure{ID: NewID(), Email: strings.ToLower(strings.TrimSpace(email)), IP: ip, At: at}
	if err := s.ctx(ctx).Create(f).Error; err != nil {
		return fmt.Errorf("models: unable to record login failure: %w", err)
	}
	return nil
}

// CountLoginFailuresSince counts wrong passwords for an email, and from an IP, since t.
func (s *Store) CountLoginFailuresSince(ctx context.Context, email, ip string, t time.Time) (byEmail, byIP int, err error) {
	var n1, n2 int64
	email = strings.ToLower(strings.TrimSpace(email))
	if err := s.ctx(ctx).Model(&LoginFailure{}).Where("email = ? AND at >= ?", email, t).Count(&n1).Error; err != nil {
		return 0, 0, fmt.Errorf("models: unable to count login failures: %w", err)
	}
	if err := s.ctx(ctx).Model(&LoginFailure{}).Where("ip = ? AND at >= ?", ip, t).Count(&n2).Error; err != nil {
		return 0, 0, fmt.Errorf("models: unable to count login failures: %w", err)
	}
	return int(n1), int(n2), nil
}

// ClearLoginFailures forgets an email's wrong passwords after a successful login.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	if err := s.ctx(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Delete(&LoginFailure{}).Error; err != nil {
		return fmt.Errorf("models: unable to clear login failures: %w", err)
	}
	return nil
}
