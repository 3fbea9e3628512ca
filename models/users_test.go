package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"signet/models"
)

func TestCreateUserWithOrganization(t *testing.T) {
	st, db := newStore(t)
	ctx := context.Background()
	u := &models.User{Email: "  Alice@Example.COM ", Name: "Alice", PasswordHash: "hash"}
	if err := st.CreateUserWithOrganization(ctx, "Acme", u); err != nil {
		t.Fatal(err)
	}
	if u.ID == "" || u.OrganizationID == "" || u.ID == u.OrganizationID {
		t.Fatalf("ids not assigned: user %q org %q", u.ID, u.OrganizationID)
	}
	if u.Email != "alice@example.com" || u.Role != models.RoleOwner {
		t.Fatalf("stored email %q role %q, want the lower-cased trimmed email and owner", u.Email, u.Role)
	}
	org, err := st.OrganizationByID(ctx, u.OrganizationID)
	if err != nil || org.Name != "Acme" {
		t.Fatalf("organization: %+v, %v", org, err)
	}
	owner, err := st.OrganizationOwner(ctx, u.OrganizationID)
	if err != nil || owner.ID != u.ID {
		t.Fatalf("owner: %+v, %v", owner, err)
	}
	byID, err := st.UserByID(ctx, u.ID)
	if err != nil || byID.Email != "alice@example.com" || byID.Organization.Name != "Acme" {
		t.Fatalf("UserByID: %+v, %v", byID, err)
	}
	if _, err := st.OrganizationByID(ctx, models.NewID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("missing organization: %v, want ErrNotFound", err)
	}
	if n := count(t, db, &models.Organization{}); n != 1 {
		t.Fatalf("%d organizations, want 1", n)
	}
}

func TestCreateUserDuplicateEmailIsConflictIgnoringCase(t *testing.T) {
	st, db := newStore(t)
	ctx := context.Background()
	newOwner(t, st, "alice@example.com")
	for _, email := range []string{"alice@example.com", "ALICE@example.com", " Alice@EXAMPLE.com "} {
		err := st.CreateUserWithOrganization(ctx, "Second", &models.User{Email: email, PasswordHash: "hash"})
		if !errors.Is(err, models.ErrConflict) {
			t.Errorf("second sign-up as %q: %v, want ErrConflict", email, err)
		}
	}
	if n := count(t, db, &models.Organization{}); n != 1 {
		t.Fatalf("%d organizations after refused sign-ups, want 1 (nothing half-created)", n)
	}
	if n := count(t, db, &models.User{}); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
}

// Two people signing up with the same address at the same moment: the second is told the address is
// taken (ErrConflict, which the sign-up page turns into a message), not handed a database error.
// Deterministic: the first sign-up's row is inserted and held uncommitted while the second runs.
func TestCreateUserRacingDuplicateIsConflict(t *testing.T) {
	st, db := newStore(t)
	first := db.Begin()
	if first.Error != nil {
		t.Fatal(first.Error)
	}
	org := models.Organization{ID: models.NewID(), Name: "First"}
	if err := first.Create(&org).Error; err != nil {
		t.Fatal(err)
	}
	if err := first.Create(&models.User{ID: models.NewID(), OrganizationID: org.ID, Email: "race@example.com", PasswordHash: "h", Role: models.RoleOwner}).Error; err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		done <- st.CreateUserWithOrganization(context.Background(), "Second", &models.User{Email: "RACE@example.com", PasswordHash: "hash"})
	}()
	waitUntilBlocked(t, db, done)
	if err := first.Commit().Error; err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, models.ErrConflict) {
		t.Fatalf("the second of two racing sign-ups: %v, want ErrConflict", err)
	}
	if u, o := count(t, db, &models.User{}), count(t, db, &models.Organization{}); u != 1 || o != 1 {
		t.Fatalf("%d users and %d organizations, want 1 and 1", u, o)
	}
}

// waitUntilBlocked waits until another session waits on a lock (PostgreSQL), or a moment (SQLite, where
// the racing transaction waits for the write lock at BEGIN and cannot be observed).
func waitUntilBlocked(t *testing.T, db *gorm.DB, done <-chan error) {
	t.Helper()
	if !models.IsPostgres(db) {
		time.Sleep(300 * time.Millisecond)
		return
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		var n int64
		db.Raw("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n)
		if n > 0 {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("the racing sign-up finished without waiting for the first: %v", err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("the racing sign-up never waited for the first one's lock")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestUserByEmail(t *testing.T) {
	st, _ := newStore(t)
	ctx := context.Background()
	alice := newOwner(t, st, "alice@example.com")
	newOwner(t, st, "bob@example.com")
	for _, email := range []string{"alice@example.com", "ALICE@EXAMPLE.COM", "  alice@example.com\t"} {
		u, err := st.UserByEmail(ctx, email)
		if err != nil {
			t.Fatalf("UserByEmail(%q): %v", email, err)
		}
		if u.ID != alice.ID || u.Organization.ID != alice.OrganizationID || u.Organization.Name != "Org of alice@example.com" {
			t.Fatalf("UserByEmail(%q) = %+v, want alice with her organization loaded", email, u)
		}
	}
	if _, err := st.UserByEmail(ctx, "carol@example.com"); !errors.Is(err, models.ErrNotFound) || !models.IsNotFound(err) {
		t.Fatalf("unknown email: %v, want ErrNotFound", err)
	}
	if _, err := st.UserByID(ctx, models.NewID()); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("unknown id: %v, want ErrNotFound", err)
	}
}
