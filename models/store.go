package models

import (
	"context"

	"gorm.io/gorm"
)

// Store reads and writes Signet's rows; sender-facing reads are always scoped by organization.
type Store struct{ db *gorm.DB }

// NewStore wraps a database handle.
func NewStore(db *gorm.DB) *Store { return &Store{db: db} }

// DB exposes the handle for transactions started by the domain layer.
func (s *Store) DB() *gorm.DB { return s.db }

// WithTx returns a store whose methods run inside tx.
func (s *Store) WithTx(tx *gorm.DB) *Store { return &Store{db: tx} }

func (s *Store) ctx(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }
