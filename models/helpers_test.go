package models_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"signet/internal/testapp"
	"signet/models"
)

// newStore gives a store on a fresh, migrated database (SQLite, or PostgreSQL when SIGNET_TEST_DATABASE_URL is set).
func newStore(t *testing.T) (*models.Store, *gorm.DB) {
	t.Helper()
	d := testapp.NewDB(t)
	if err := models.Migrate(d.DB); err != nil {
		t.Fatal(err)
	}
	return models.NewStore(d.DB), d.DB
}

// newOwner creates an organization and its owner.
func newOwner(t *testing.T, st *models.Store, email string) *models.User {
	t.Helper()
	u := &models.User{Email: email, Name: "Owner " + email, PasswordHash: "$argon2id$not-a-real-hash"}
	if err := st.CreateUserWithOrganization(context.Background(), "Org of "+email, u); err != nil {
		t.Fatalf("create owner %s: %v", email, err)
	}
	return u
}

// newDocument stores a document of the organization with one signer per email, in the given order.
func newDocument(t *testing.T, st *models.Store, orgID, status string, created time.Time, emails ...string) *models.Document {
	t.Helper()
	d := &models.Document{ID: models.NewID(), OrganizationID: orgID, Title: "Doc " + status, Status: status,
		OriginalKey: "documents/x/original.pdf", OriginalSHA256: strings.Repeat("a", 64), CreatedAt: created.UTC()}
	for i, e := range emails {
		id := models.NewID()
		d.Recipients = append(d.Recipients, models.Recipient{ID: id, DocumentID: d.ID, OrganizationID: orgID,
			Name: "Signer " + e, Email: e, Role: models.RoleSigner, SigningOrder: len(emails) - i, Status: models.RecipientPending,
			Verification: models.VerifyEmailOTP, SigningConfirmation: models.VerifyNone, TokenHash: tokenHashFor(id),
			CreatedAt: created.UTC().Add(time.Duration(i) * time.Microsecond)})
	}
	if err := st.CreateDocument(context.Background(), d); err != nil {
		t.Fatalf("create document: %v", err)
	}
	return d
}

// tokenHashFor stands in for the SHA-256 of a recipient's link token.
func tokenHashFor(recipientID string) string {
	sum := sha256.Sum256([]byte("token of " + recipientID))
	return hex.EncodeToString(sum[:])
}

func count(t *testing.T, db *gorm.DB, model any) int64 {
	t.Helper()
	var n int64
	if err := db.Model(model).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}
