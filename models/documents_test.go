package models_test

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"signet/models"
)

func TestDocumentIsScopedByOrganization(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice, mallory := newOwner(t, st, "alice@example.com"), newOwner(t, st, "mallory@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com", "b@example.com")

	got, err := st.Document(ctx, alice.OrganizationID, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != doc.ID || got.Title != doc.Title || len(got.Recipients) != 2 {
		t.Fatalf("Document = %+v", got)
	}
	// newDocument gives the first email the higher round: recipients come back in signing order.
	if got.Recipients[0].Email != "b@example.com" || got.Recipients[0].SigningOrder != 1 || got.Recipients[1].SigningOrder != 2 {
		t.Fatalf("recipients not in signing order: %+v", got.Recipients)
	}

	_, foreign := st.Document(ctx, mallory.OrganizationID, doc.ID)
	_, missing := st.Document(ctx, alice.OrganizationID, models.NewID())
	if !errors.Is(foreign, models.ErrNotFound) || !errors.Is(missing, models.ErrNotFound) {
		t.Fatalf("foreign id: %v, missing id: %v; want ErrNotFound for both", foreign, missing)
	}
	if foreign.Error() != missing.Error() {
		t.Fatalf("a foreign id (%q) is distinguishable from a missing one (%q)", foreign, missing)
	}

	// Background jobs are given an id and may read any organization's document.
	byID, err := st.DocumentByID(ctx, doc.ID)
	if err != nil || byID.OrganizationID != alice.OrganizationID || len(byID.Recipients) != 2 {
		t.Fatalf("DocumentByID: %+v, %v", byID, err)
	}
	if _, err := st.DocumentByID(ctx, models.NewID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("DocumentByID of a missing id: %v", err)
	}
}

func TestDocumentsListFiltersByStatusAndOrganization(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice, bob := newOwner(t, st, "alice@example.com"), newOwner(t, st, "bob@example.com")
	t0 := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	oldDraft := newDocument(t, st, alice.OrganizationID, models.DocDraft, t0, "x@example.com")
	sent := newDocument(t, st, alice.OrganizationID, models.DocSent, t0.Add(time.Minute), "y@example.com")
	newDraft := newDocument(t, st, alice.OrganizationID, models.DocDraft, t0.Add(2*time.Minute), "z@example.com", "w@example.com")
	newDocument(t, st, bob.OrganizationID, models.DocDraft, t0.Add(3*time.Minute), "q@example.com")

	ids := func(docs []models.Document) []string {
		var out []string
		for _, d := range docs {
			out = append(out, d.ID)
		}
		return out
	}
	tests := []struct {
		status string
		limit  int
		want   []string
	}{
		{"", 10, []string{newDraft.ID, sent.ID, oldDraft.ID}},
		{models.DocDraft, 10, []string{newDraft.ID, oldDraft.ID}},
		{models.DocSent, 10, []string{sent.ID}},
		{models.DocCompleted, 10, nil},
		{"", 2, []string{newDraft.ID, sent.ID}},
	}
	for _, tt := range tests {
		docs, err := st.Documents(ctx, alice.OrganizationID, tt.status, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(docs); !slices.Equal(got, tt.want) {
			t.Errorf("Documents(status %q, limit %d) = %v, want %v (newest first, alice's only)", tt.status, tt.limit, got, tt.want)
		}
	}
	docs, _ := st.Documents(ctx, alice.OrganizationID, models.DocDraft, 1)
	if len(docs) != 1 || len(docs[0].Recipients) != 2 || docs[0].Recipients[0].SigningOrder != 1 {
		t.Fatalf("the list does not carry the recipients in order: %+v", docs)
	}
}

func TestDocumentCounts(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice, bob := newOwner(t, st, "alice@example.com"), newOwner(t, st, "bob@example.com")
	now := time.Now()
	for _, s := range []string{models.DocDraft, models.DocDraft, models.DocSent, models.DocCompleted, models.DocCompleted, models.DocCompleted} {
		newDocument(t, st, alice.OrganizationID, s, now, "x@example.com")
	}
	newDocument(t, st, bob.OrganizationID, models.DocDeclined, now, "x@example.com")
	got, err := st.DocumentCounts(ctx, alice.OrganizationID)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{models.DocDraft: 2, models.DocSent: 1, models.DocCompleted: 3}
	if !maps.Equal(got, want) {
		t.Fatalf("DocumentCounts = %v, want %v", got, want)
	}
	empty, err := st.DocumentCounts(ctx, models.NewID())
	if err != nil || len(empty) != 0 {
		t.Fatalf("counts of an organization without documents: %v, %v", empty, err)
	}
}

func TestUpdateDocumentAndLockForUpdate(t *testing.T) {
	st, db := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocDraft, time.Now(), "x@example.com", "y@example.com")
	sentAt := time.Now().UTC().Truncate(time.Second)
	err := db.Transaction(func(tx *gorm.DB) error {
		locked, err := st.WithTx(tx).DocumentForUpdate(ctx, doc.ID)
		if err != nil {
			return err
		}
		if len(locked.Recipients) != 2 || locked.Recipients[0].SigningOrder != 1 {
			t.Errorf("DocumentForUpdate recipients: %+v", locked.Recipients)
		}
		return st.WithTx(tx).UpdateDocument(ctx, locked, map[string]any{"status": models.DocSent, "sent_at": sentAt})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := st.Document(ctx, alice.OrganizationID, doc.ID)
	if err != nil || got.Status != models.DocSent || got.SentAt == nil || !got.SentAt.Equal(sentAt) {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	if _, err := st.DocumentForUpdate(ctx, models.NewID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("DocumentForUpdate of a missing id: %v", err)
	}
}
