// Package accounts holds sender accounts: sign-up with email confirmation, log-in with
// throttling reserved before any hashing, the password policy, the hashing limiter and
// trusted devices.
package accounts

import (
	"log/slog"
	"sync/atomic"
	"time"

	"signet/jobs"
	"signet/models"
	"signet/notify"
)

// Deps are what the service is built from.
type Deps struct {
	Store     *models.Store
	Queue     *jobs.Queue
	Mailer    notify.Mailer
	Hasher    *Hasher
	SecretKey []byte
	BaseURL   string // without trailing slash
	Limits    Limits
	Now       func() time.Time
	Logger    *slog.Logger
}

// Service runs sign-up, confirmation and log-in.
type Service struct {
	store        *models.Store
	queue        *jobs.Queue
	mailer       notify.Mailer
	hasher       *Hasher
	signer       signer
	baseURL      string
	limits       Limits
	now          func() time.Time
	logger       *slog.Logger
	reservations atomic.Int64
}

// New builds the service; zero limits take DefaultLimits.
func New(d Deps) *Service {
	s := &Service{store: d.Store, queue: d.Queue, mailer: d.Mailer, hasher: d.Hasher, signer: signer{key: d.SecretKey},
		baseURL: d.BaseURL, limits: d.Limits.withDefaults(), now: d.Now, logger: d.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.logger == nil {
		s.logger = slog.Default()
	}
	return s
}

// Hasher is the process's argon2id limiter (tests read its evaluation count).
func (s *Service) Hasher() *Hasher { return s.hasher }

// Limits are the throttles in force.
func (s *Service) Limits() Limits { return s.limits }
