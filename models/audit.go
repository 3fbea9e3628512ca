package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AppendAuditEvent adds e to the document's hash chain; call it inside the transaction that made the change.
func (s *Store) AppendAuditEvent(ctx context.Context, e *AuditEvent) error {
	var last AuditEvent
	err := s.ctx(ctx).Where("document_id = ?", e.DocumentID).Order("seq desc").Limit(1).Find(&last).Error
	if err != nil {
		return fmt.Errorf("models: unable to read audit chain: %w", err)
	}
	e.ID = NewID()
	e.Seq = last.Seq + 1
	e.PrevHash = last.Hash
	if e.At.IsZero() {
		e.At = time.Now().UTC()
	}
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.Hash = e.ComputeHash()
	if err := s.ctx(ctx).Create(e).Error; err != nil {
		return fmt.Errorf("models: unable to append audit event: %w", err)
	}
	return nil
}

// ComputeHash is SHA-256 over the previous hash and every field, so any edit breaks the chain.
func (e *AuditEvent) ComputeHash() string {
	parts := []string{e.PrevHash, e.DocumentID, strconv.Itoa(e.Seq), e.RecipientID, e.Actor, e.Event,
		e.At.UTC().Format(time.RFC3339Nano), e.IP, e.UserAgent, e.Details}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x1f")))
	return hex.EncodeToString(sum[:])
}

// AuditEvents lists a document's events in order.
func (s *Store) AuditEvents(ctx context.Context, documentID string) ([]AuditEvent, error) {
	var events []AuditEvent
	if err := s.ctx(ctx).Where("document_id = ?", documentID).Order("seq asc").Find(&events).Error; err != nil {
		return nil, fmt.Errorf("models: unable to list audit events: %w", err)
	}
	return events, nil
}

// VerifyAuditChain recomputes every hash and reports the first broken link.
func VerifyAuditChain(events []AuditEvent) error {
	prev := ""
	for i := range events {
		e := &events[i]
		if e.PrevHash != prev || e.ComputeHash() != e.Hash {
			return fmt.Errorf("models: audit chain broken at event %d", e.Seq)
		}
		prev = e.Hash
	}
	return nil
}

// LastAuditEventAt is when one of the given events last happened to a recipient (zero when never).
func (s *Store) LastAuditEventAt(ctx context.Context, documentID, recipientID string, events ...string) (time.Time, error) {
	var e AuditEvent
	err := s.ctx(ctx).Where("document_id = ? AND recipient_id = ? AND event IN ?", documentID, recipientID, events).
		Order("seq desc").Limit(1).Find(&e).Error
	if err != nil {
		return time.Time{}, fmt.Errorf("models: unable to read audit events: %w", err)
	}
	return e.At, nil
}
