// Package testapp starts a whole Signet (real database, real SMTP conversation, httptest server)
// for tests, and gives them a browser-like client with a cookie jar and a CSRF-token extractor.
package testapp

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"signet/config"
	"signet/notify/smtptest"
	"signet/otp"
	"signet/web"
)

// Env names that point the suite at PostgreSQL and Redis (set by .ci/run and `task test:postgres`).
const (
	EnvPostgres = "SIGNET_TEST_DATABASE_URL"
	EnvRedis    = "SIGNET_TEST_REDIS_URL"
)

// App is a running Signet for one test.
type App struct {
	*web.App
	T      testing.TB
	Server *httptest.Server
	SMTP   *smtptest.Server
	Clock  *Clock
	Logs   *LogBuffer
	URL    string
}

// Options change the app a test gets.
type Options struct {
	Policy     *otp.Policy
	DevMailbox bool // no SMTP: the dev mailbox keeps the mail
	Configure  func(*config.Config)
	NoJobs     bool // River does not work jobs here (another process does)
}

// New starts Signet on a fresh SQLite file (or a fresh PostgreSQL database when EnvPostgres is set).
func New(t testing.TB, opts ...Options) *App {
	t.Helper()
	var o Options
	if len(opts) > 0 {
		o = opts[0]
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testapp: listen: %v", err)
	}
	url := "http://" + ln.Addr().String()
	cfg := config.Config{Addr: ln.Addr().String(), BaseURL: url, DataDir: t.TempDir(), MailFrom: "Signet <no-reply@signet.test>",
		MaxUploadBytes: 5 << 20, OTPValidity: 10 * time.Minute, SessionIdle: 30 * time.Minute, SessionMaxAge: 12 * time.Hour,
		SecretKey: "test-secret-key-0123456789abcdef0123456789", AllowSignup: true}
	a := &App{T: t, Clock: NewClock(), Logs: &LogBuffer{}, URL: url}
	if !o.DevMailbox {
		a.SMTP = smtptest.Start(t)
		cfg.SMTPURL = a.SMTP.URL()
	}
	if pg := os.Getenv(EnvPostgres); pg != "" {
		cfg.DatabaseURL = freshPostgres(t, pg)
	}
	cfg.RedisURL = os.Getenv(EnvRedis)
	if o.Configure != nil {
		o.Configure(&cfg)
	}
	logger := slog.New(slog.NewTextHandler(a.Logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	app, err := web.New(context.Background(), cfg, web.Options{Logger: logger, Now: a.Clock.Now, Policy: o.Policy, PollInterval: 20 * time.Millisecond})
	if err != nil {
		ln.Close()
		t.Fatalf("testapp: %v", err)
	}
	a.App = app
	if !o.NoJobs {
		if err := app.Start(context.Background()); err != nil {
			t.Fatalf("testapp: start: %v", err)
		}
	}
	a.Server = httptest.NewUnstartedServer(app.Handler)
	a.Server.Listener.Close()
	a.Server.Listener = ln
	a.Server.Start()
	t.Cleanup(func() {
		a.Server.Close()
		app.Close(context.Background())
		if t.Failed() { // what the app logged explains most failures of background jobs
			t.Logf("app log (warnings and errors):\n%s", a.Logs.Problems())
		}
	})
	return a
}

// freshPostgres creates an empty database for one test and drops it afterwards.
func freshPostgres(t testing.TB, baseURL string) string {
	admin, err := gorm.Open(postgres.Open(baseURL), &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatalf("testapp: postgres: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "signet_test_" + hex.EncodeToString(b)
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("testapp: create database: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		if sqlDB, err := admin.DB(); err == nil {
			sqlDB.Close()
		}
	})
	return replaceDBName(baseURL, name)
}

func replaceDBName(u, name string) string {
	q := ""
	if i := strings.Index(u, "?"); i >= 0 {
		u, q = u[:i], u[i:]
	}
	i := strings.LastIndex(u, "/")
	if i < len("postgres://") {
		return u + "/" + name + q
	}
	return u[:i+1] + name + q
}

// Clock is a settable clock for expiry tests.
type Clock struct {
	mu     sync.Mutex
	offset time.Duration
}

// NewClock starts at the real time.
func NewClock() *Clock { return &Clock{} }

// Now is the real time plus every Advance.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// LogBuffer captures everything the app logs, so tests can check what must never appear.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *LogBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// String is everything logged so far.
func (l *LogBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Problems returns the logged lines at WARN or ERROR level.
func (l *LogBuffer) Problems() string {
	var out []string
	for _, line := range strings.Split(l.String(), "\n") {
		if strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// Sprintf is a shorthand used by helpers' failure messages.
var Sprintf = fmt.Sprintf
