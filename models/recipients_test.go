package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"signet/models"
)

func TestRecipientByTokenHash(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com", "b@example.com")
	for _, want := range doc.Recipients {
		got, err := st.RecipientByTokenHash(ctx, want.TokenHash)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != want.ID || got.Email != want.Email || got.DocumentID != doc.ID || got.OrganizationID != alice.OrganizationID {
			t.Fatalf("RecipientByTokenHash(%s) = %+v, want %s", want.Email, got, want.ID)
		}
	}
	if _, err := st.RecipientByTokenHash(ctx, tokenHashFor(models.NewID())); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown token hash: %v, want ErrNotFound", err)
	}
	if _, err := st.RecipientByTokenHash(ctx, ""); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("empty token hash: %v, want ErrNotFound", err)
	}
}

func TestRecipientTokenHashIsUnique(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com")
	clash := &models.Document{ID: models.NewID(), OrganizationID: alice.OrganizationID, Title: "Clash", Status: models.DocDraft,
		OriginalKey: "k", OriginalSHA256: "s", Recipients: []models.Recipient{{ID: models.NewID(), OrganizationID: alice.OrganizationID,
			Name: "X", Email: "x@example.com", Role: models.RoleSigner, SigningOrder: 1, Status: models.RecipientPending,
			Verification: models.VerifyNone, TokenHash: doc.Recipients[0].TokenHash}}}
	if err := st.CreateDocument(ctx, clash); err == nil {
		t.Fatal("two recipients with the same token hash were stored: a link would open someone else's document")
	}
}

func TestRecipientByIDAndUpdate(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	doc := newDocument(t, st, alice.OrganizationID, models.DocSent, time.Now(), "a@example.com")
	r := doc.Recipients[0]
	opened := time.Now().UTC().Truncate(time.Second)
	if err := st.UpdateRecipient(ctx, &r, map[string]any{"status": models.RecipientOpened, "opened_at": opened}); err != nil {
		t.Fatal(err)
	}
	got, err := st.RecipientByID(ctx, r.ID)
	if err != nil || got.Status != models.RecipientOpened || got.OpenedAt == nil || !got.OpenedAt.Equal(opened) {
		t.Fatalf("after update: %+v, %v", got, err)
	}
	if _, err := st.RecipientByID(ctx, models.NewID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown recipient id: %v, want ErrNotFound", err)
	}
}
