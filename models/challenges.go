package models

import (
	"context"
	"fmt"
	"time"
)

// CreateChallenge stores a new code and retires the recipient's older ones (as of c.CreatedAt).
func (s *Store) CreateChallenge(ctx context.Context, c *Challenge) error {
	err := s.ctx(ctx).Model(&Challenge{}).
		Where("recipient_id = ? AND consumed_at IS NULL AND superseded_at IS NULL", c.RecipientID).
		Update("superseded_at", c.CreatedAt).Error
	if err != nil {
		return fmt.Errorf("models: unable to retire old codes: %w", err)
	}
	if err := s.ctx(ctx).Create(c).Error; err != nil {
		return fmt.Errorf("models: unable to create code: %w", err)
	}
	return nil
}

// ChallengeByID fetches one code's row.
func (s *Store) ChallengeByID(ctx context.Context, id string) (*Challenge, error) {
	var c Challenge
	if err := s.ctx(ctx).First(&c, "id = ?", id).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch code: %w", notFound(err))
	}
	return &c, nil
}

// ActiveChallenge returns the recipient's newest code that is neither consumed nor superseded.
func (s *Store) ActiveChallenge(ctx context.Context, recipientID string) (*Challenge, error) {
	var c Challenge
	err := s.ctx(ctx).Where("recipient_id = ? AND consumed_at IS NULL AND superseded_at IS NULL", recipientID).
		Order("created_at desc").First(&c).Error
	if err != nil {
		return nil, fmt.Errorf("models: unable to fetch code: %w", notFound(err))
	}
	return &c, nil
}

// LastChallengeAt returns when the recipient was last sent a code (zero when never).
func (s *Store) LastChallengeAt(ctx context.Context, recipientID string) (time.Time, error) {
	var c Challenge
	err := s.ctx(ctx).Where("recipient_id = ?", recipientID).Order("created_at desc").Limit(1).Find(&c).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("models: unable to fetch last code: %w", err)
	}
	return c.CreatedAt, nil
}

// CountChallengesSince counts codes sent to a recipient since t.
func (s *Store) CountChallengesSince(ctx context.Context, recipientID string, t time.Time) (int, error) {
	var n int64
	err := s.ctx(ctx).Model(&Challenge{}).Where("recipient_id = ? AND created_at >= ?", recipientID, t).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("models: unable to count codes: %w", err)
	}
	return int(n), nil
}

// CountChallengesFromIPSince counts codes requested from one IP address since t.
func (s *Store) CountChallengesFromIPSince(ctx context.Context, ip string, t time.Time) (int, error) {
	var n int64
	err := s.ctx(ctx).Model(&Challenge{}).Where("ip = ? AND created_at >= ?", ip, t).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("models: unable to count codes: %w", err)
	}
	return int(n), nil
}

// CountChallengesFromIPForRecipientSince counts codes one IP address requested for one recipient since t.
func (s *Store) CountChallengesFromIPForRecipientSince(ctx context.Context, ip, recipientID string, t time.Time) (int, error) {
	var n int64
	err := s.ctx(ctx).Model(&Challenge{}).Where("ip = ? AND recipient_id = ? AND created_at >= ?", ip, recipientID, t).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("models: unable to count codes: %w", err)
	}
	return int(n), nil
}

// ConsumeChallenge marks a code used if it is still usable; exactly one caller can win.
func (s *Store) ConsumeChallenge(ctx context.Context, id string, maxAttempts int, now time.Time) (bool, error) {
	res := s.ctx(ctx).Model(&Challenge{}).
		Where("id = ? AND consumed_at IS NULL AND superseded_at IS NULL AND attempts < ? AND expires_at > ?", id, maxAttempts, now).
		Update("consumed_at", now)
	if res.Error != nil {
		return false, fmt.Errorf("models: unable to consume code: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// AddChallengeAttempt records one wrong try and returns the attempts made so far.
func (s *Store) AddChallengeAttempt(ctx context.Context, id string) (int, error) {
	db := s.ctx(ctx)
	if err := db.Exec("UPDATE challenges SET attempts = attempts + 1 WHERE id = ?", id).Error; err != nil {
		return 0, fmt.Errorf("models: unable to count attempt: %w", err)
	}
	var c Challenge
	if err := db.Select("attempts").First(&c, "id = ?", id).Error; err != nil {
		return 0, fmt.Errorf("models: unable to read attempts: %w", notFound(err))
	}
	return c.Attempts, nil
}
