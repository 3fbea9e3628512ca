package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CreateUserWithOrganization creates a new organization and its owner in one transaction.
func (s *Store) CreateUserWithOrganization(ctx context.Context, orgName string, u *User) error {
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	return s.ctx(ctx).Transaction(func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Where("email = ?", u.Email).Count(&n).Error; err != nil {
			return fmt.Errorf("models: unable to check email: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("models: email already registered: %w", ErrConflict)
		}
		org := Organization{ID: NewID(), Name: orgName}
		if err := tx.Create(&org).Error; err != nil {
			return fmt.Errorf("models: unable to create organization: %w", err)
		}
		u.ID, u.OrganizationID, u.Role = NewID(), org.ID, RoleOwner
		if err := tx.Create(u).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
			return fmt.Errorf("models: email already registered: %w", ErrConflict) // a concurrent sign-up won
		} else if err != nil {
			return fmt.Errorf("models: unable to create user: %w", err)
		}
		u.Organization = org
		return nil
	})
}

// UserByEmail finds a sender by email, with the organization loaded.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	var u User
	err := s.ctx(ctx).Preload("Organization").Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&u).Error
	if err != nil {
		return nil, fmt.Errorf("models: unable to fetch user: %w", notFound(err))
	}
	return &u, nil
}

// UserByID finds a sender by id, with the organization loaded.
func (s *Store) UserByID(ctx context.Context, id string) (*User, error) {
	var u User
	if err := s.ctx(ctx).Preload("Organization").First(&u, "id = ?", id).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch user: %w", notFound(err))
	}
	return &u, nil
}

// IsNotFound reports whether err means the row does not exist (or is not visible).
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// ConfirmUser records that the owner proved the email is theirs; a second call keeps the first time.
func (s *Store) ConfirmUser(ctx context.Context, id string, at time.Time) error {
	res := s.ctx(ctx).Model(&User{}).Where("id = ? AND confirmed_at IS NULL", id).Update("confirmed_at", at)
	if res.Error != nil {
		return fmt.Errorf("models: unable to confirm user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		if _, err := s.UserByID(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// ReplacePendingUser gives an unconfirmed account the latest sign-up's name, organization name
// and password hash; a confirmed account is never changed (ErrConflict).
func (s *Store) ReplacePendingUser(ctx context.Context, u *User, name, orgName, passwordHash string) error {
	res := s.ctx(ctx).Model(&User{}).Where("id = ? AND confirmed_at IS NULL", u.ID).
		Updates(map[string]any{"name": name, "password_hash": passwordHash})
	if res.Error != nil {
		return fmt.Errorf("models: unable to update pending user: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("models: user is confirmed: %w", ErrConflict)
	}
	if err := s.ctx(ctx).Model(&Organization{}).Where("id = ?", u.OrganizationID).Update("name", orgName).Error; err != nil {
		return fmt.Errorf("models: unable to rename pending organization: %w", err)
	}
	return nil
}
