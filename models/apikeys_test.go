package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"signet/models"
)

func newKey(t *testing.T, st *models.Store, u *models.User, name, hash string) *models.APIKey {
	t.Helper()
	k := &models.APIKey{OrganizationID: u.OrganizationID, UserID: u.ID, Name: name, Prefix: "sgn_" + name, Hash: hash}
	if err := st.CreateAPIKey(context.Background(), k); err != nil {
		t.Fatal(err)
	}
	return k
}

func TestAPIKeyCreateAndLookupByHash(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	k := newKey(t, st, alice, "ci", strings.Repeat("1", 64))
	if k.ID == "" {
		t.Fatal("CreateAPIKey assigned no id")
	}
	got, err := st.APIKeyByHash(ctx, strings.Repeat("1", 64))
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != k.ID || got.OrganizationID != alice.OrganizationID || got.UserID != alice.ID || got.Prefix != "sgn_ci" {
		t.Fatalf("APIKeyByHash = %+v, want the key just made", got)
	}
	keys, err := st.APIKeys(ctx, alice.OrganizationID)
	if err != nil || len(keys) != 1 || keys[0].LastUsedAt == nil {
		t.Fatalf("after use the key's last use is recorded: %+v, %v", keys, err)
	}
	if _, err := st.APIKeyByHash(ctx, strings.Repeat("2", 64)); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown hash: %v, want ErrNotFound", err)
	}
	if err := st.CreateAPIKey(ctx, &models.APIKey{OrganizationID: alice.OrganizationID, UserID: alice.ID, Prefix: "x", Hash: strings.Repeat("1", 64)}); err == nil {
		t.Fatal("a second key with the same hash was stored")
	}
}

func TestAPIKeysListedPerOrganization(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice, bob := newOwner(t, st, "alice@example.com"), newOwner(t, st, "bob@example.com")
	newKey(t, st, alice, "one", strings.Repeat("1", 64))
	newKey(t, st, alice, "two", strings.Repeat("2", 64))
	bobs := newKey(t, st, bob, "bob", strings.Repeat("3", 64))
	keys, err := st.APIKeys(ctx, alice.OrganizationID)
	if err != nil || len(keys) != 2 {
		t.Fatalf("alice's keys: %d, %v; want 2", len(keys), err)
	}
	for _, k := range keys {
		if k.OrganizationID != alice.OrganizationID || k.ID == bobs.ID {
			t.Fatalf("alice's list holds a key of another organization: %+v", k)
		}
	}
}

func TestRevokeAPIKeyOnlyWithinOwnOrganization(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice, mallory := newOwner(t, st, "alice@example.com"), newOwner(t, st, "mallory@example.com")
	hash := strings.Repeat("a", 64)
	k := newKey(t, st, alice, "ci", hash)

	if err := st.RevokeAPIKey(ctx, mallory.OrganizationID, k.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revoke from another organization: %v, want ErrNotFound", err)
	}
	if _, err := st.APIKeyByHash(ctx, hash); err != nil {
		t.Fatalf("the key stopped working after another organization tried to revoke it: %v", err)
	}
	if err := st.RevokeAPIKey(ctx, alice.OrganizationID, models.NewID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revoke a missing key: %v, want ErrNotFound", err)
	}

	if err := st.RevokeAPIKey(ctx, alice.OrganizationID, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.APIKeyByHash(ctx, hash); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revoked key: %v, want ErrNotFound", err)
	}
	if err := st.RevokeAPIKey(ctx, alice.OrganizationID, k.ID); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("revoking twice: %v, want ErrNotFound", err)
	}
	keys, err := st.APIKeys(ctx, alice.OrganizationID)
	if err != nil || len(keys) != 1 || keys[0].RevokedAt == nil {
		t.Fatalf("the revoked key stays listed as revoked: %+v, %v", keys, err)
	}
}
