package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CreateDocument stores a document and its recipients.
func (s *Store) CreateDocument(ctx context.Context, d *Document) error {
	if err := s.ctx(ctx).Create(d).Error; err != nil {
		return fmt.Errorf("models: unable to create document: %w", err)
	}
	return nil
}

// Document fetches one of the organization's documents with its recipients in signing order.
func (s *Store) Document(ctx context.Context, orgID, id string) (*Document, error) {
	var d Document
	err := s.ctx(ctx).Preload("Recipients", orderRecipients).Where("id = ? AND organization_id = ?", id, orgID).First(&d).Error
	if err != nil {
		return nil, fmt.Errorf("models: unable to fetch document: %w", notFound(err))
	}
	return &d, nil
}

// DocumentForUpdate fetches a document by id (any organization) and locks its row until the transaction ends.
func (s *Store) DocumentForUpdate(ctx context.Context, id string) (*Document, error) {
	var d Document
	q := s.ctx(ctx)
	if IsPostgres(q) {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	if err := q.Where("id = ?", id).First(&d).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch document: %w", notFound(err))
	}
	if err := s.ctx(ctx).Where("document_id = ?", id).Scopes(orderRecipientsScope).Find(&d.Recipients).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch recipients: %w", err)
	}
	return &d, nil
}

// Documents lists the organization's documents, newest first, optionally filtered by status.
func (s *Store) Documents(ctx context.Context, orgID, status string, limit int) ([]Document, error) {
	var docs []Document
	q := s.ctx(ctx).Preload("Recipients", orderRecipients).Where("organization_id = ?", orgID)
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if err := q.Order("created_at desc").Limit(limit).Find(&docs).Error; err != nil {
		return nil, fmt.Errorf("models: unable to list documents: %w", err)
	}
	return docs, nil
}

// DocumentCounts counts the organization's documents by status.
func (s *Store) DocumentCounts(ctx context.Context, orgID string) (map[string]int, error) {
	var rows []struct {
		Status string
		N      int
	}
	err := s.ctx(ctx).Model(&Document{}).Select("status, count(*) as n").Where("organization_id = ?", orgID).Group("status").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: unable to count documents: %w", err)
	}
	counts := make(map[string]int, len(rows))
	for _, r := range rows {
		counts[r.Status] = r.N
	}
	return counts, nil
}

// UpdateDocument saves the given columns of a document.
func (s *Store) UpdateDocument(ctx context.Context, d *Document, columns map[string]any) error {
	if err := s.ctx(ctx).Model(d).Updates(columns).Error; err != nil {
		return fmt.Errorf("models: unable to update document: %w", err)
	}
	return nil
}

func orderRecipients(db *gorm.DB) *gorm.DB { return orderRecipientsScope(db) }

func orderRecipientsScope(db *gorm.DB) *gorm.DB {
	return db.Order("signing_order asc").Order("created_at asc").Order("id asc")
}

// DocumentByID fetches a document of any organization, for background jobs that were given its id.
func (s *Store) DocumentByID(ctx context.Context, id string) (*Document, error) {
	var d Document
	if err := s.ctx(ctx).Preload("Recipients", orderRecipients).Where("id = ?", id).First(&d).Error; err != nil {
		return nil, fmt.Errorf("models: unable to fetch document: %w", notFound(err))
	}
	return &d, nil
}
