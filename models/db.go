package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNotFound is returned for missing rows and for rows of another organization alike.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a row already exists or a state forbids the change.
var ErrConflict = errors.New("conflict")

// Open connects to SQLite (a file path) or PostgreSQL (a postgres:// URL) with the default pool.
func Open(driver, dsn string) (*gorm.DB, error) { return OpenPool(driver, dsn, DefaultPool()) }

// OpenPool is Open with PostgreSQL's connections bounded by p; SQLite keeps its own small bound.
func OpenPool(driver, dsn string, p Pool) (*gorm.DB, error) {
	cfg := &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), NowFunc: func() time.Time { return time.Now().UTC() },
		TranslateError: true} // duplicate keys become gorm.ErrDuplicatedKey on every database
	var dialector gorm.Dialector
	switch driver {
	case "postgres":
		connector, err := openPostgresPool(context.Background(), dsn, p)
		if err != nil {
			return nil, err
		}
		sqlDB := sql.OpenDB(connector)
		sqlDB.SetMaxIdleConns(0) // the pgx pool keeps the idle connections and enforces the bound
		dialector = postgres.New(postgres.Config{Conn: sqlDB})
	case "sqlite":
		if dir := filepath.Dir(dsn); dir != "" && !strings.HasPrefix(dsn, "file:") {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return nil, fmt.Errorf("models: unable to create data dir: %w", err)
			}
		}
		sep := "?"
		if strings.Contains(dsn, "?") {
			sep = "&"
		}
		dialector = sqlite.Open(dsn + sep + "_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=busy_timeout(10000)&_pragma=foreign_keys(1)&_txlock=immediate")
	default:
		return nil, fmt.Errorf("models: unknown database driver %q", driver)
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("models: unable to open database: %w", err)
	}
	if driver == "sqlite" {
		sqlDB, _ := db.DB()
		sqlDB.SetMaxOpenConns(4) // one writer at a time anyway; more connections only contend
	}
	return db, nil
}

// Ping reports whether the database answers, for readiness checks.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("models: %w", err)
	}
	return sqlDB.PingContext(ctx)
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}
