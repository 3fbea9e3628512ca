package models

import (
	"context"
	"fmt"
	"time"
)

// CreateAPIKey stores a new key (its hash and display prefix).
func (s *Store) CreateAPIKey(ctx context.Context, k *APIKey) error {
	k.ID = NewID()
	if err := s.ctx(ctx).Create(k).Error; err != nil {
		return fmt.Errorf("models: unable to create api key: %w", err)
	}
	return nil
}

// APIKeys lists an organization's keys, newest first.
func (s *Store) APIKeys(ctx context.Context, orgID string) ([]APIKey, error) {
	var keys []APIKey
	if err := s.ctx(ctx).Where("organization_id = ?", orgID).Order("created_at desc").Find(&keys).Error; err != nil {
		return nil, fmt.Errorf("models: unable to list api keys: %w", err)
	}
	return keys, nil
}

// APIKeyByHash finds an active key by the hash of its secret and records its use.
func (s *Store) APIKeyByHash(ctx context.Context, hash string) (*APIKey, error) {
	var k APIKey
	if err := s.ctx(ctx).Where("hash = ? AND revoked_at IS NULL", hash).First(&k).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch api key: %w", notFound(err))
	}
	now := time.Now().UTC()
	if k.LastUsedAt == nil || now.Sub(*k.LastUsedAt) > time.Minute {
		s.ctx(ctx).Model(&k).Update("last_used_at", now)
	}
	return &k, nil
}

// RevokeAPIKey revokes one of the organization's keys.
func (s *Store) RevokeAPIKey(ctx context.Context, orgID, id string) error {
	res := s.ctx(ctx).Model(&APIKey{}).Where("id = ? AND organization_id = ? AND revoked_at IS NULL", id, orgID).Update("revoked_at", time.Now().UTC())
	if res.Error != nil {
		return fmt.Errorf("models: unable to revoke api key: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: api key: %w", ErrNotFound)
	}
	return nil
}
