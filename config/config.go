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
	OTP            OTPLimits     `envPrefix:"OTP_"`
	SessionIdle    time.Duration `env:"SESSION_IDLE" envDefault:"30m"`
	SessionMaxAge  time.Duration `env:"SESSION_LIFETIME" envDefault:"12h"`
	LogLevel       string        `env:"LOG_LEVEL" envDefault:"info"`
	TrustProxy     bool          `env:"TRUST_PROXY"`                    // take the client IP from X-Forwarded-For
	AllowSignup    bool          `env:"ALLOW_SIGNUP" envDefault:"true"` // false: accounts only via `signet user create`

	// Password hashing and the log-in and sign-up throttles (DESIGN §4); zero means the default.
	HashMemoryMiB           int64         `env:"HASH_MEMORY_MIB" envDefault:"256"` // argon2id runs at most this/64 MiB at once
	HashWait                time.Duration `env:"HASH_WAIT" envDefault:"3s"`        // then 503 with Retry-After
	LoginWindow             time.Duration `env:"LOGIN_WINDOW" envDefault:"15m"`
	LoginFailuresPerAccount int           `env:"LOGIN_FAILURES_PER_ACCOUNT" envDefault:"10"`
	LoginFailuresPerIPAcct  int           `env:"LOGIN_FAILURES_PER_IP_ACCOUNT" envDefault:"10"`
	LoginFailuresPerIP      int           `env:"LOGIN_FAILURES_PER_IP" envDefault:"100"`
	LoginFailuresPerDevice  int           `env:"LOGIN_FAILURES_PER_DEVICE" envDefault:"10"`
	TrustedDeviceLifetime   time.Duration `env:"TRUSTED_DEVICE_LIFETIME" envDefault:"2160h"`
	SignupWindow            time.Duration `env:"SIGNUP_WINDOW" envDefault:"1h"`
	SignupsPerIP            int           `env:"SIGNUPS_PER_IP" envDefault:"10"`

	// Untrusted PDFs are parsed in child processes (`signet pdf-worker`); zero values mean the defaults.
	PDFWorkers         int           `env:"PDF_WORKERS" envDefault:"2"`                // children at most
	PDFWorkerMemory    int64         `env:"PDF_WORKER_MEMORY" envDefault:"1073741824"` // bytes of address space each may add
	PDFTimeout         time.Duration `env:"PDF_TIMEOUT" envDefault:"20s"`              // checking one upload
	PDFFinalizeTimeout time.Duration `env:"PDF_FINALIZE_TIMEOUT" envDefault:"60s"`     // stamping and sealing one document
	UploadsPerAccount  int           `env:"UPLOADS_PER_ACCOUNT" envDefault:"2"`        // uploads one organization may have in checking

	// PostgreSQL connection pool (SQLite keeps its own small bound).
	DBMaxConns       int           `env:"DB_MAX_OPEN_CONNS" envDefault:"20"`
	DBMinIdleConns   int           `env:"DB_MIN_IDLE_CONNS" envDefault:"2"`
	DBConnLifetime   time.Duration `env:"DB_CONN_MAX_LIFETIME" envDefault:"30m"`
	DBConnIdleTime   time.Duration `env:"DB_CONN_MAX_IDLE_TIME" envDefault:"5m"`
	DBAcquireTimeout time.Duration `env:"DB_ACQUIRE_TIMEOUT" envDefault:"5s"` // then 503 + Retry-After
	JobsDBMaxConns   int           `env:"JOBS_DB_MAX_CONNS" envDefault:"5"`   // the job queue's own pool

	Jobs Jobs
}

// OTPLimits are the code limits of DESIGN §4 (SIGNET_OTP_*); zero keeps otp.DefaultPolicy's number.
type OTPLimits struct {
	MaxAttempts         int           `env:"MAX_ATTEMPTS" envDefault:"5"`      // wrong tries that burn one code
	LockoutFailures     int           `env:"LOCKOUT_FAILURES" envDefault:"10"` // wrong tries in the window that lock
	LockoutWindow       time.Duration `env:"LOCKOUT_WINDOW" envDefault:"1h"`
	LockoutDuration     time.Duration `env:"LOCKOUT_DURATION" envDefault:"1h"`
	ResendCooldown      time.Duration `env:"RESEND_COOLDOWN" envDefault:"30s"`
	SendsPerHour        int           `env:"SENDS_PER_HOUR" envDefault:"5"`              // per recipient
	SendsPerIPRecipient int           `env:"SENDS_PER_IP_RECIPIENT_HOUR" envDefault:"5"` // per IP and recipient
	SendsPerIPHour      int           `env:"SENDS_PER_IP_HOUR" envDefault:"300"`         // per IP, all recipients
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
	if c.DBMaxConns < 1 || c.JobsDBMaxConns < 1 || c.DBMinIdleConns < 0 || c.DBMinIdleConns > c.DBMaxConns {
		return fmt.Errorf("config: SIGNET_DB_MAX_OPEN_CONNS and SIGNET_JOBS_DB_MAX_CONNS must be at least 1, SIGNET_DB_MIN_IDLE_CONNS between 0 and SIGNET_DB_MAX_OPEN_CONNS")
	}
	o := c.OTP
	if o.MaxAttempts < 1 || o.LockoutFailures < 1 || o.SendsPerHour < 1 || o.SendsPerIPRecipient < 1 || o.SendsPerIPHour < 1 ||
		o.LockoutWindow <= 0 || o.LockoutDuration <= 0 || o.ResendCooldown <= 0 || c.OTPValidity <= 0 {
		return fmt.Errorf("config: the SIGNET_OTP_* limits must be positive")
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
