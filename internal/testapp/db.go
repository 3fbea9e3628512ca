package testapp

import (
	"os"
	"path/filepath"
	"testing"

	"gorm.io/gorm"

	"signet/models"
)

// TestDB is a fresh, empty database for one store or queue test.
type TestDB struct {
	DB     *gorm.DB
	Driver string // "sqlite" or "postgres"
	DSN    string // file path (SQLite) or postgres:// URL
}

// PostgresURL is the DSN when the database is PostgreSQL ("" on SQLite), for jobs.Options.PostgresURL.
func (d *TestDB) PostgresURL() string {
	if d.Driver == "postgres" {
		return d.DSN
	}
	return ""
}

// NewDB opens a fresh, unmigrated database: a SQLite file in t.TempDir(), or a new PostgreSQL
// database when EnvPostgres is set. It is closed (and dropped) when the test ends.
func NewDB(t testing.TB) *TestDB {
	t.Helper()
	d := &TestDB{Driver: "sqlite", DSN: filepath.Join(t.TempDir(), "signet.db")}
	if url := FreshDatabaseURL(t); url != "" {
		d.Driver, d.DSN = "postgres", url
	}
	db, err := models.Open(d.Driver, d.DSN)
	if err != nil {
		t.Fatalf("testapp: open %s database: %v", d.Driver, err)
	}
	t.Cleanup(func() { // registered after the drop, so it runs before it
		if sqlDB, err := db.DB(); err == nil {
			sqlDB.Close()
		}
	})
	d.DB = db
	return d
}

// FreshDatabaseURL creates an empty PostgreSQL database when EnvPostgres is set and returns its
// URL (dropped when the test ends); on SQLite it returns "".
func FreshDatabaseURL(t testing.TB) string {
	t.Helper()
	if pg := os.Getenv(EnvPostgres); pg != "" {
		return freshPostgres(t, pg)
	}
	return ""
}
