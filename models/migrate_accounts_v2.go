package models

import (
	"time"

	"gorm.io/gorm"
)

// migrateAccountsV2 adds email confirmation to users (accounts that exist already count as
// confirmed) and the attempt counters that are reserved before any password is hashed.
func migrateAccountsV2(tx *gorm.DB) error {
	type user struct {
		ConfirmedAt *time.Time
	}
	if err := tx.Table("users").Migrator().AddColumn(&user{}, "ConfirmedAt"); err != nil {
		return err
	}
	if err := tx.Exec("UPDATE users SET confirmed_at = created_at WHERE confirmed_at IS NULL").Error; err != nil {
		return err
	}
	type attemptCounter struct {
		Bucket        string `gorm:"primaryKey;size:500"`
		WindowStartNS int64  `gorm:"not null;index"`
		N             int    `gorm:"not null"`
	}
	return tx.Table("attempt_counters").AutoMigrate(&attemptCounter{})
}

func rollbackAccountsV2(tx *gorm.DB) error {
	if err := tx.Migrator().DropTable("attempt_counters"); err != nil {
		return err
	}
	type user struct {
		ConfirmedAt *time.Time
	}
	return tx.Table("users").Migrator().DropColumn(&user{}, "ConfirmedAt")
}
