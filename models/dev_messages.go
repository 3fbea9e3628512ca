package models

import (
	"context"
	"fmt"
)

// CreateDevMessage keeps an undelivered email for the dev mailbox.
func (s *Store) CreateDevMessage(ctx context.Context, m *DevMessage) error {
	m.ID = NewID()
	if err := s.ctx(ctx).Create(m).Error; err != nil {
		return fmt.Errorf("models: unable to store dev message: %w", err)
	}
	return nil
}

// DevMessages lists the organization's undelivered emails, newest first.
func (s *Store) DevMessages(ctx context.Context, orgID string, limit int) ([]DevMessage, error) {
	var msgs []DevMessage
	err := s.ctx(ctx).Where("organization_id = ?", orgID).Order("created_at desc").Limit(limit).Find(&msgs).Error
	if err != nil {
		return nil, fmt.Errorf("models: unable to list dev messages: %w", err)
	}
	return msgs, nil
}
