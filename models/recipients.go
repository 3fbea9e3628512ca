package models

import (
	"context"
	"fmt"
)

// RecipientByTokenHash finds the recipient a signing link belongs to.
func (s *Store) RecipientByTokenHash(ctx context.Context, hash string) (*Recipient, error) {
	var r Recipient
	if err := s.ctx(ctx).Where("token_hash = ?", hash).First(&r).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch recipient: %w", notFound(err))
	}
	return &r, nil
}

// RecipientByID finds a recipient by id (any organization; callers check what they may see).
func (s *Store) RecipientByID(ctx context.Context, id string) (*Recipient, error) {
	var r Recipient
	if err := s.ctx(ctx).Where("id = ?", id).First(&r).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch recipient: %w", notFound(err))
	}
	return &r, nil
}

// UpdateRecipient saves the given columns of a recipient.
func (s *Store) UpdateRecipient(ctx context.Context, r *Recipient, columns map[string]any) error {
	if err := s.ctx(ctx).Model(r).Updates(columns).Error; err != nil {
		return fmt.Errorf("models: unable to update recipient: %w", err)
	}
	return nil
}

// OrganizationByID fetches an organization.
func (s *Store) OrganizationByID(ctx context.Context, id string) (*Organization, error) {
	var o Organization
	if err := s.ctx(ctx).First(&o, "id = ?", id).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch organization: %w", notFound(err))
	}
	return &o, nil
}

// OrganizationOwner returns the first owner of an organization, who receives its notifications.
func (s *Store) OrganizationOwner(ctx context.Context, orgID string) (*User, error) {
	var u User
	if err := s.ctx(ctx).Where("organization_id = ? AND role = ?", orgID, RoleOwner).Order("created_at asc").First(&u).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch owner: %w", notFound(err))
	}
	return &u, nil
}
