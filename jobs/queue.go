package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"gorm.io/gorm"
)

// Options tunes the queue; zero values take the defaults.
type Options struct {
	PollInterval time.Duration // how often idle workers look for new jobs
	Settings     Settings      // queue sizes, timeouts, rescue and shutdown grace
	Logger       *slog.Logger
	PostgresURL  string // set when db is PostgreSQL: River gets its own pgx pool for working jobs
	MaxConns     int    // connections River may hold in all, its listener's included (default 5)
}

// Queue runs River on the same database as the rest of Signet, so a job is enqueued in the
// same transaction as the state change it follows from.
type Queue struct {
	db       *gorm.DB
	insertTx func(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error
	start    func(ctx context.Context) error
	stop     func(ctx context.Context) error
	cancel   func(ctx context.Context) error
	grace    time.Duration
	migrate  func(ctx context.Context) error
	pool     *pgxpool.Pool
}

// New builds the River client for db with the given workers (nil workers: insert-only).
func New(ctx context.Context, db *gorm.DB, workers *river.Workers, opt Options) (*Queue, error) {
	if opt.PollInterval == 0 {
		opt.PollInterval = 250 * time.Millisecond
	}
	opt.Settings = opt.Settings.WithDefaults()
	if err := opt.Settings.Validate(); err != nil {
		return nil, err
	}
	if opt.MaxConns <= 0 {
		opt.MaxConns = 5
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	cfg := &river.Config{
		ErrorHandler:      logFailures{opt.Logger},
		FetchPollInterval: opt.PollInterval,
		FetchCooldown:     min(opt.PollInterval, 100*time.Millisecond),
		Logger:            opt.Logger,
		// Workers set their own timeouts; this bounds any other kind.
		JobTimeout:           max(opt.Settings.EmailTimeout, opt.Settings.FinalizeTimeout),
		RescueStuckJobsAfter: opt.Settings.RescueAfter,
		MaxAttempts:          12,
	}
	if workers != nil {
		cfg.Workers = workers
		cfg.Queues = opt.Settings.queueConfig()
	}
	q := &Queue{db: db, grace: opt.Settings.ShutdownGrace}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	if db.Dialector.Name() == "postgres" {
		pcfg, err := pgxpool.ParseConfig(opt.PostgresURL)
		if err != nil {
			return nil, fmt.Errorf("jobs: invalid database URL: %w", err)
		}
		pcfg.MaxConns = int32(max(opt.MaxConns-1, 1)) // River's listener takes one connection out of the pool for good
		pool, err := pgxpool.NewWithConfig(ctx, pcfg)
		if err != nil {
			return nil, fmt.Errorf("jobs: unable to open pgx pool: %w", err)
		}
		driver := riverpgxv5.New(pool)
		client, err := river.NewClient(driver, cfg)
		if err != nil {
			pool.Close()
			return nil, fmt.Errorf("jobs: unable to create river client: %w", err)
		}
		q.pool = pool
		q.start, q.stop, q.cancel = client.Start, client.Stop, client.StopAndCancel
		q.insertTx = func(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error {
			ptx, ok := tx.Statement.ConnPool.(*pgxConnTx)
			if !ok {
				return errors.New("jobs: InsertTx needs a transaction started by Queue.Transact")
			}
			_, err := client.InsertTx(ctx, ptx.tx, args, opts)
			return err
		}
		q.migrate = migrateUp(driver)
		return q, nil
	}
	driver := riversqlite.New(sqlDB)
	client, err := river.NewClient(driver, cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: unable to create river client: %w", err)
	}
	q.start, q.stop, q.cancel = client.Start, client.Stop, client.StopAndCancel
	q.insertTx = func(ctx context.Context, tx *gorm.DB, args river.JobArgs, opts *river.InsertOpts) error {
		stx, ok := tx.Statement.ConnPool.(*sql.Tx)
		if !ok {
			return errors.New("jobs: InsertTx needs a transaction started by Queue.Transact")
		}
		_, err := client.InsertTx(ctx, stx, args, opts)
		return err
	}
	q.migrate = migrateUp(driver)
	return q, nil
}

// migrateUp applies River's migrations through the given driver.
func migrateUp[TTx any](driver riverdriver.Driver[TTx]) func(context.Context) error {
	return func(ctx context.Context) error {
		m, err := rivermigrate.New(driver, nil)
		if err != nil {
			return err
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	}
}

// Migrate creates or upgrades River's tables.
func (q *Queue) Migrate(ctx context.Context) error {
	if err := q.migrate(ctx); err != nil {
		return fmt.Errorf("jobs: river migration failed: %w", err)
	}
	return nil
}

// Start begins working jobs in the background.
func (q *Queue) Start(ctx context.Context) error {
	if err := q.start(ctx); err != nil {
		return fmt.Errorf("jobs: unable to start river: %w", err)
	}
	return nil
}

// cancelBound is how long cancelled jobs get to record their failure before Stop gives up on them.
const cancelBound = 5 * time.Second

// Stop stops fetching, lets running jobs finish within the shutdown grace, then cancels the rest
// so their attempts end as failures that the next start retries (instead of staying "running"
// until the rescue delay), and releases the pool.
func (q *Queue) Stop(ctx context.Context) error {
	graceCtx, cancel := context.WithTimeout(ctx, q.grace)
	err := q.stop(graceCtx)
	cancel()
	if err != nil && ctx.Err() == nil {
		hardCtx, cancel := context.WithTimeout(ctx, cancelBound)
		err = q.cancel(hardCtx)
		cancel()
	}
	if q.pool != nil {
		q.pool.Close()
	}
	if err != nil {
		return fmt.Errorf("jobs: unable to stop river: %w", err)
	}
	return nil
}

// Enqueue inserts a job inside tx, a transaction started by Transact.
func (q *Queue) Enqueue(ctx context.Context, tx *gorm.DB, args river.JobArgs) error {
	if err := q.insertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("jobs: unable to enqueue %s: %w", args.Kind(), err)
	}
	return nil
}

// Transact runs fn in one database transaction in which Enqueue may be called.
func (q *Queue) Transact(ctx context.Context, fn func(tx *gorm.DB) error) error {
	if q.db.Dialector.Name() != "postgres" {
		return q.db.WithContext(ctx).Transaction(fn)
	}
	return transactPostgres(ctx, q.db, fn)
}

// transactPostgres begins a pgx transaction on one pooled connection and lets GORM use that
// same connection, so River's pgx insert and GORM's writes commit or roll back together.
func transactPostgres(ctx context.Context, db *gorm.DB, fn func(tx *gorm.DB) error) (err error) {
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("jobs: unable to get connection: %w", err)
	}
	defer conn.Close()
	var ptx pgx.Tx
	err = conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("jobs: unexpected driver connection %T", dc)
		}
		var err error
		ptx, err = c.Conn().Begin(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("jobs: unable to begin transaction: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = ptx.Rollback(context.WithoutCancel(ctx))
		}
		if r := recover(); r != nil {
			panic(r)
		}
	}()
	tx := db.Session(&gorm.Session{NewDB: true, SkipDefaultTransaction: true, Context: ctx})
	tx.Statement.ConnPool = &pgxConnTx{Conn: conn, tx: ptx}
	if err := fn(tx); err != nil {
		return err
	}
	if err := ptx.Commit(ctx); err != nil {
		return fmt.Errorf("jobs: unable to commit: %w", err)
	}
	committed = true
	return nil
}

// pgxConnTx is the connection GORM sees inside transactPostgres; it reports itself as a
// transaction so GORM uses savepoints for nested transactions instead of a second BEGIN.
type pgxConnTx struct {
	*sql.Conn
	tx pgx.Tx
}

func (p *pgxConnTx) Commit() error { return errors.New("jobs: commit is managed by Queue.Transact") }
func (p *pgxConnTx) Rollback() error {
	return errors.New("jobs: rollback is managed by Queue.Transact")
}
