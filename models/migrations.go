package models

import (
	"fmt"
	"time"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrations are append-only: never edit one that has shipped, add a new one.
var migrations = []*gormigrate.Migration{
	{
		ID: "202611230001_initial",
		Migrate: func(tx *gorm.DB) error {
			return tx.AutoMigrate(&v1Organization{}, &v1User{}, &v1APIKey{}, &v1Document{}, &v1Recipient{}, &v1Challenge{}, &v1AuditEvent{}, &v1DevMessage{})
		},
		Rollback: func(tx *gorm.DB) error {
			return tx.Migrator().DropTable("dev_messages", "audit_events", "challenges", "recipients", "documents", "api_keys", "users", "organizations")
		},
	},
	{
		ID: "202611230002_login_failures",
		Migrate: func(tx *gorm.DB) error {
			type loginFailure struct {
				ID    string    `gorm:"primaryKey;size:36"`
				Email string    `gorm:"size:320;index;not null"`
				IP    string    `gorm:"size:64;index"`
				At    time.Time `gorm:"index;not null"`
			}
			return tx.Table("login_failures").AutoMigrate(&loginFailure{})
		},
		Rollback: func(tx *gorm.DB) error { return tx.Migrator().DropTable("login_failures") },
	},
	{
		ID:       "202612010001_accounts_confirmation_and_attempts",
		Migrate:  migrateAccountsV2,
		Rollback: rollbackAccountsV2,
	},
}

// Migrate brings the schema up to date; it runs on SQLite and PostgreSQL alike.
func Migrate(db *gorm.DB) error {
	m := gormigrate.New(db, gormigrate.DefaultOptions, migrations)
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("models: migration failed: %w", err)
	}
	return nil
}
