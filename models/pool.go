package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
)

// ErrBusy is returned when no database connection frees up within Pool.AcquireTimeout:
// the request is refused at once (503) instead of queueing until the client gives up.
var ErrBusy = errors.New("models: every database connection is in use")

// Pool bounds the connections Signet opens to PostgreSQL; zero values take the defaults.
type Pool struct {
	MaxConns       int           // the most connections open at once
	MinIdleConns   int           // connections kept open while idle
	MaxLifetime    time.Duration // a connection is replaced after this long
	MaxIdleTime    time.Duration // an idle connection is closed after this long
	AcquireTimeout time.Duration // how long a query waits for a free connection before ErrBusy
}

// DefaultPool stays well under PostgreSQL's default max_connections (100), leaving room
// for the job queue's own pool, other replicas and maintenance sessions.
func DefaultPool() Pool {
	return Pool{MaxConns: 20, MinIdleConns: 2, MaxLifetime: 30 * time.Minute, MaxIdleTime: 5 * time.Minute, AcquireTimeout: 5 * time.Second}
}

func (p Pool) withDefaults() Pool {
	d := DefaultPool()
	if p.MaxConns <= 0 {
		p.MaxConns = d.MaxConns
	}
	if p.MinIdleConns < 0 || p.MinIdleConns > p.MaxConns {
		p.MinIdleConns = min(d.MinIdleConns, p.MaxConns)
	}
	if p.MaxLifetime <= 0 {
		p.MaxLifetime = d.MaxLifetime
	}
	if p.MaxIdleTime <= 0 {
		p.MaxIdleTime = d.MaxIdleTime
	}
	if p.AcquireTimeout <= 0 {
		p.AcquireTimeout = d.AcquireTimeout
	}
	return p
}

// openPostgresPool builds the bounded pgx pool GORM's *sql.DB draws its connections from.
func openPostgresPool(ctx context.Context, dsn string, p Pool) (driver.Connector, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("models: invalid database URL: %w", err)
	}
	p = p.withDefaults()
	cfg.MaxConns, cfg.MinIdleConns = int32(p.MaxConns), int32(p.MinIdleConns)
	cfg.MaxConnLifetime, cfg.MaxConnIdleTime = p.MaxLifetime, p.MaxIdleTime
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("models: unable to open database pool: %w", err)
	}
	return acquireDeadline{Connector: stdlib.GetPoolConnector(pool), pool: pool, timeout: p.AcquireTimeout}, nil
}

// acquireDeadline bounds only the wait for a pooled connection, not the query that follows.
type acquireDeadline struct {
	driver.Connector
	pool    *pgxpool.Pool
	timeout time.Duration
}

// Close releases the pgx pool when the *sql.DB is closed.
func (c acquireDeadline) Close() error {
	c.pool.Close()
	return nil
}

func (c acquireDeadline) Connect(ctx context.Context) (driver.Conn, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	conn, err := c.Connector.Connect(actx)
	if err != nil && ctx.Err() == nil && actx.Err() != nil {
		return nil, fmt.Errorf("%w (waited %s)", ErrBusy, c.timeout)
	}
	return conn, err
}
