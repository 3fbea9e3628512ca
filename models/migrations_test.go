package models_test

import (
	"context"
	"testing"

	"signet/internal/testapp"
	"signet/models"
)

func TestMigrateCreatesTablesAndIsIdempotent(t *testing.T) {
	d := testapp.NewDB(t)
	db := d.DB
	if err := models.Migrate(db); err != nil {
		t.Fatalf("first migration: %v", err)
	}
	tables := []string{"organizations", "users", "api_keys", "documents", "recipients", "challenges", "audit_events", "dev_messages", "migrations"}
	for _, table := range tables {
		if !db.Migrator().HasTable(table) {
			t.Errorf("table %s missing after Migrate", table)
		}
	}
	for _, idx := range []struct {
		model any
		name  string
	}{
		{&models.User{}, "idx_users_email"},
		{&models.APIKey{}, "idx_api_keys_hash"},
		{&models.Recipient{}, "idx_recipients_token_hash"},
		{&models.AuditEvent{}, "idx_audit_doc_seq"},
	} {
		if !db.Migrator().HasIndex(idx.model, idx.name) {
			t.Errorf("index %s missing", idx.name)
		}
	}
	var applied int64
	db.Table("migrations").Count(&applied)
	if applied == 0 {
		t.Fatal("no migration recorded")
	}

	st := models.NewStore(db)
	u := newOwner(t, st, "alice@example.com")
	if err := models.Migrate(db); err != nil {
		t.Fatalf("second migration: %v", err)
	}
	var again int64
	db.Table("migrations").Count(&again)
	if again != applied {
		t.Fatalf("second Migrate recorded %d migrations, first %d: it is not a no-op", again, applied)
	}
	if got, err := st.UserByEmail(context.Background(), "alice@example.com"); err != nil || got.ID != u.ID {
		t.Fatalf("data lost by a second Migrate: %v", err)
	}
}
