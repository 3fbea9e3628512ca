package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"signet/models"
)

// appendChain writes n events for a new document and returns them as stored.
func appendChain(t *testing.T, st *models.Store, orgID string, n int) (*models.Document, []models.AuditEvent) {
	t.Helper()
	ctx := context.Background()
	doc := newDocument(t, st, orgID, models.DocSent, time.Now(), "a@example.com")
	at := time.Now().UTC().Add(-time.Hour)
	for i := range n {
		e := &models.AuditEvent{DocumentID: doc.ID, RecipientID: doc.Recipients[0].ID, Actor: "Actor " + string(rune('A'+i)),
			Event: "event_" + string(rune('a'+i)), At: at.Add(time.Duration(i) * time.Minute), IP: "192.0.2.1",
			UserAgent: "Mozilla/5.0", Details: "details of event " + string(rune('a'+i))}
		if err := st.AppendAuditEvent(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	events, err := st.AuditEvents(ctx, doc.ID)
	if err != nil || len(events) != n {
		t.Fatalf("AuditEvents: %d, %v; want %d", len(events), err, n)
	}
	return doc, events
}

func TestAppendAuditEventBuildsAChain(t *testing.T) {
	st, _ := newStore(t)
	alice := newOwner(t, st, "alice@example.com")
	_, events := appendChain(t, st, alice.OrganizationID, 4)
	_, otherDoc := appendChain(t, st, alice.OrganizationID, 2)
	for i, e := range events {
		if e.Seq != i+1 {
			t.Errorf("event %d has seq %d, want %d", i, e.Seq, i+1)
		}
		wantPrev := ""
		if i > 0 {
			wantPrev = events[i-1].Hash
		}
		if e.PrevHash != wantPrev || len(e.Hash) != 64 || e.Hash != e.ComputeHash() {
			t.Errorf("event %d: prev %q hash %q, not linked to the previous one", e.Seq, e.PrevHash, e.Hash)
		}
	}
	if otherDoc[0].Seq != 1 || otherDoc[0].PrevHash != "" {
		t.Fatalf("a second document's chain does not start afresh: %+v", otherDoc[0])
	}
	if err := models.VerifyAuditChain(events); err != nil {
		t.Fatalf("a freshly written chain does not verify: %v", err)
	}
	if err := models.VerifyAuditChain(nil); err != nil {
		t.Fatalf("an empty chain: %v", err)
	}
}

func TestAuditSeqIsUniquePerDocument(t *testing.T) {
	st, db := newStore(t)
	alice := newOwner(t, st, "alice@example.com")
	doc, events := appendChain(t, st, alice.OrganizationID, 2)
	dup := events[1]
	dup.ID, dup.Event = models.NewID(), "forged"
	if err := db.Create(&dup).Error; err == nil {
		t.Fatal("a second event with the same document and seq was stored")
	}
	if n := count(t, db.Where("document_id = ?", doc.ID), &models.AuditEvent{}); n != 2 {
		t.Fatalf("%d events, want 2", n)
	}
}

// Editing any stored column of any event (first, middle or last) breaks verification.
func TestAuditTamperingBreaksTheChain(t *testing.T) {
	st, db := newStore(t)
	alice := newOwner(t, st, "alice@example.com")
	tampers := []struct {
		column string
		value  func(e models.AuditEvent) any
	}{
		{"document_id", func(models.AuditEvent) any { return models.NewID() }},
		{"seq", func(e models.AuditEvent) any { return e.Seq + 100 }},
		{"recipient_id", func(models.AuditEvent) any { return models.NewID() }},
		{"actor", func(e models.AuditEvent) any { return e.Actor + "x" }},
		{"event", func(models.AuditEvent) any { return "document_signed" }},
		{"at", func(e models.AuditEvent) any { return e.At.Add(time.Second) }},
		{"ip", func(models.AuditEvent) any { return "198.51.100.7" }},
		{"user_agent", func(e models.AuditEvent) any { return strings.ToUpper(e.UserAgent) }},
		{"details", func(e models.AuditEvent) any { return e.Details + "." }},
		{"prev_hash", func(models.AuditEvent) any { return strings.Repeat("0", 64) }},
		{"hash", func(models.AuditEvent) any { return strings.Repeat("f", 64) }},
	}
	for _, tc := range tampers {
		for pos, name := range []string{"first", "middle", "last"} {
			if tc.column == "document_id" && name == "last" {
				// Moving the last event away truncates the chain, which no chain can see by itself;
				// the sealed PDF carries the chain head for that (DESIGN §4).
				continue
			}
			t.Run(tc.column+"/"+name, func(t *testing.T) {
				doc, events := appendChain(t, st, alice.OrganizationID, 3)
				target := events[pos]
				res := db.Exec(`UPDATE audit_events SET "`+tc.column+`" = ? WHERE id = ?`, tc.value(target), target.ID)
				if res.Error != nil || res.RowsAffected != 1 {
					t.Fatalf("tamper: %v (%d rows)", res.Error, res.RowsAffected)
				}
				after, err := st.AuditEvents(context.Background(), doc.ID)
				if err != nil {
					t.Fatal(err)
				}
				if err := models.VerifyAuditChain(after); err == nil {
					t.Fatalf("changing %s of the %s event went unnoticed", tc.column, name)
				}
			})
		}
	}
	t.Run("deleted middle event", func(t *testing.T) {
		doc, events := appendChain(t, st, alice.OrganizationID, 3)
		if err := db.Delete(&models.AuditEvent{}, "id = ?", events[1].ID).Error; err != nil {
			t.Fatal(err)
		}
		after, _ := st.AuditEvents(context.Background(), doc.ID)
		if err := models.VerifyAuditChain(after); err == nil {
			t.Fatal("deleting an event went unnoticed")
		}
	})
	t.Run("untouched chain still verifies", func(t *testing.T) {
		_, events := appendChain(t, st, alice.OrganizationID, 3)
		if err := models.VerifyAuditChain(events); err != nil {
			t.Fatal(err)
		}
	})
}

// The chain survives the database round trip on both engines (time zones, sub-second precision).
func TestAuditChainVerifiesAfterReload(t *testing.T) {
	st, db := newStore(t)
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com")
	ctx := context.Background()
	at := time.Date(2026, 3, 29, 1, 59, 59, 999_999_999, time.FixedZone("CET", 3600))
	err := db.Transaction(func(tx *gorm.DB) error {
		for i := range 3 {
			if err := st.WithTx(tx).AppendAuditEvent(ctx, &models.AuditEvent{DocumentID: doc.ID, Event: "e", At: at.Add(time.Duration(i) * time.Nanosecond),
				Details: "ünïcödé ✓ \x1f separator"}); err != nil {
				return err
			}
		}
		return st.WithTx(tx).AppendAuditEvent(ctx, &models.AuditEvent{DocumentID: doc.ID, Event: "now"}) // zero At: filled in
	})
	if err != nil {
		t.Fatal(err)
	}
	events, err := st.AuditEvents(ctx, doc.ID)
	if err != nil || len(events) != 4 {
		t.Fatalf("%d events, %v", len(events), err)
	}
	if err := models.VerifyAuditChain(events); err != nil {
		t.Fatalf("reloaded chain: %v", err)
	}
	if events[3].At.IsZero() {
		t.Fatal("an event without a time was stored without one")
	}
}
