// Package config reads Signet's settings from SIGNET_* environment variables.
package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is every setting Signet reads at start-up; nothing else reads the environment.
type Config struct {
	Addr        string `env:"ADDR" envDefault:":8080"`
	BaseURL     string `env:"BASE_URL" envDefault:"http://localhost:8080"`
	DataDir     string `env:"DATA_DIR" envDefault:"./data"`
	DatabaseURL string `env:"DATABASE_URL"`
	RedisURL    string `env:"REDIS_URL"`
	StorageURL  string `env:"STORAGE_URL"`
	SMTPURL     string `env:"SMTP_URL"`
	MailFrom    string `env:"MAIL_FROM" envDefault:"Signet <no-reply@localhost>"`
	SMSURL      string `env:"SMS_URL"`
	SecretKey   string `env:"SECRET_KEY"`

	MaxUploadBytes int64         `env:"MAX_UPLOAD_BYTES" envDefault:"26214400"`
	OTPValidity    time.Duration `env:"OTP_VALIDITY" envDefault:"10m"`
	SessionIdle    time.Duration `env:"SESSION_IDLE" envDefault:"30m"`
	SessionMaxAge  time.Duration `env:"SESSION_LIFETIME" envDefault:"12h"`
	LogLevel       string        `env:"LOG_LEVEL" envDefault:"info"`
	TrustProxy     bool          `env:"TRUST_PROXY"`                    // take the client IP from X-Forwarded-For
	AllowSignup    bool          `env:"ALLOW_SIGNUP" envDefault:"true"` // false: accounts only via `signet user create`

	Jobs Jobs
}

// Jobs sizes the background queues and bounds how long a job may run; see README "Background jobs".
type Jobs struct {
	InteractiveWorkers int           `env:"JOBS_INTERACTIVE_WORKERS" envDefault:"4"` // codes, invitations, reminders
	FinalizeWorkers    int           `env:"JOBS_FINALIZE_WORKERS" envDefault:"2"`    // stamping and sealing PDFs
	MailWorkers        int           `env:"JOBS_MAIL_WORKERS" envDefault:"2"`        // completion and other notices
	EmailTimeout       time.Duration `env:"JOBS_EMAIL_TIMEOUT" envDefault:"1m"`
	FinalizeTimeout    time.Duration `env:"JOBS_FINALIZE_TIMEOUT" envDefault:"2m"`
	RescueAfter        time.Duration `env:"JOBS_RESCUE_AFTER" envDefault:"3m"` // a job running this long was abandoned by a crash
	ShutdownGrace      time.Duration `env:"SHUTDOWN_GRACE" envDefault:"10s"`   // running requests and jobs may finish, then are cancelled
}

// Load reads the environment and checks the values that would fail later in confusing ways.
func Load() (Config, error) {
	cfg, err := env.ParseAsWithOptions[Config](env.Options{Prefix: "SIGNET_"})
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	return cfg, cfg.validate()
}

func (c Config) validate() error {
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("config: SIGNET_BASE_URL must be an absolute http(s) URL, got %q", c.BaseURL)
	}
	if c.MaxUploadBytes <= 0 {
		return fmt.Errorf("config: SIGNET_MAX_UPLOAD_BYTES must be positive")
	}
	if j := c.Jobs; j.RescueAfter <= max(j.EmailTimeout, j.FinalizeTimeout) {
		return fmt.Errorf("config: SIGNET_JOBS_RESCUE_AFTER (%s) must be longer than SIGNET_JOBS_EMAIL_TIMEOUT and SIGNET_JOBS_FINALIZE_TIMEOUT", j.RescueAfter)
	}
	return nil
}

// Secure reports whether cookies must be Secure (the portal is reached over https).
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// DSN is the database to open: PostgreSQL when configured, otherwise SQLite in the data dir.
func (c Config) DSN() (driver, dsn string) {
	if strings.HasPrefix(c.DatabaseURL, "postgres://") || strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		return "postgres", c.DatabaseURL
	}
	if c.DatabaseURL != "" {
		return "sqlite", c.DatabaseURL
	}
	return "sqlite", filepath.Join(c.DataDir, "signet.db")
}

// BaseURLTrimmed is BaseURL without a trailing slash, for building links.
func (c Config) BaseURLTrimmed() string { return strings.TrimRight(c.BaseURL, "/") }
