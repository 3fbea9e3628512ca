// Package web assembles Signet: it builds every dependency from the Config and serves the routes.
package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"signet/accounts"
	"signet/config"
	"signet/handlers"
	"signet/jobs"
	"signet/models"
	"signet/notify"
	"signet/otp"
	"signet/pdf"
	"signet/pdf/worker"
	"signet/signing"
	"signet/storage"
)

// Options are the few things tests change that are not configuration.
type Options struct {
	Logger       *slog.Logger
	Now          func() time.Time
	Policy       *otp.Policy
	PollInterval time.Duration
}

// App is a fully assembled Signet.
type App struct {
	Config   config.Config
	Echo     *echo.Echo
	Handler  http.Handler
	DB       *gorm.DB
	Store    *models.Store
	Queue    *jobs.Queue
	Signing  *signing.Service
	Accounts *accounts.Service
	Sessions *scs.SessionManager
	Logger   *slog.Logger
	Blobs    storage.Blobs
	PDF      *worker.Pool // the children that parse untrusted PDFs
	DevMail  bool
	closers  []func()
}

// New builds the app: database (migrated), blobs, mail, queue, sessions and routes.
func New(ctx context.Context, cfg config.Config, opt Options) (a *App, err error) {
	logger := opt.Logger
	if logger == nil {
		logger = slog.Default()
	}
	a = &App{Config: cfg, Logger: logger}
	defer func() {
		if err != nil {
			a.Close(context.Background())
		}
	}()
	driver, dsn := cfg.DSN()
	pool := models.Pool{MaxConns: cfg.DBMaxConns, MinIdleConns: cfg.DBMinIdleConns, MaxLifetime: cfg.DBConnLifetime,
		MaxIdleTime: cfg.DBConnIdleTime, AcquireTimeout: cfg.DBAcquireTimeout}
	if a.DB, err = models.OpenPool(driver, dsn, pool); err != nil {
		return nil, err
	}
	a.closers = append(a.closers, func() {
		if sqlDB, err := a.DB.DB(); err == nil {
			sqlDB.Close()
		}
	})
	if err = models.Migrate(a.DB); err != nil {
		return nil, err
	}
	a.Store = models.NewStore(a.DB)
	secret, err := loadSecret(cfg.SecretKey, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if a.Blobs, err = storage.Open(cfg.StorageURL, cfg.DataDir); err != nil {
		return nil, err
	}
	mailer, err := a.newMailer(cfg)
	if err != nil {
		return nil, err
	}
	workers := river.NewWorkers()
	if a.Queue, err = jobs.New(ctx, a.DB, workers, jobs.Options{PollInterval: opt.PollInterval, Logger: quietRiver(logger),
		PostgresURL: dsnIfPostgres(driver, dsn), MaxConns: cfg.JobsDBMaxConns, Settings: jobSettings(cfg.Jobs)}); err != nil {
		return nil, err
	}
	if err = a.Queue.Migrate(ctx); err != nil {
		return nil, err
	}
	policy := otpPolicy(cfg)
	if opt.Policy != nil {
		policy = *opt.Policy
	}
	if a.PDF, err = a.newPDFPool(cfg); err != nil {
		return nil, err
	}
	limits := pdf.DefaultLimits()
	limits.MaxBytes = cfg.MaxUploadBytes
	if cfg.PDFTimeout > 0 {
		limits.Timeout = cfg.PDFTimeout
	}
	a.Signing = signing.New(signing.Deps{Store: a.Store, Queue: a.Queue, Blobs: a.Blobs, Mailer: mailer, SecretKey: secret,
		Policy: policy, Limits: limits, PDF: a.PDF, UploadsPerAccount: cfg.UploadsPerAccount, BaseURL: cfg.BaseURLTrimmed(), Now: opt.Now})
	a.Signing.RegisterWorkers(workers, jobSettings(cfg.Jobs), logger)
	a.Accounts = accounts.New(accounts.Deps{Store: a.Store, Queue: a.Queue, Mailer: mailer, SecretKey: secret, BaseURL: cfg.BaseURLTrimmed(),
		Hasher: accounts.NewDefaultHasher(cfg.HashMemoryMiB, cfg.HashWait), Limits: accountLimits(cfg), Now: opt.Now, Logger: logger})
	a.Accounts.RegisterWorkers(workers)
	sessions, closeSessions, err := newSessions(a.DB, cfg.RedisURL, cfg.Secure(), cfg.SessionIdle, cfg.SessionMaxAge)
	if err != nil {
		return nil, err
	}
	a.Sessions = sessions
	sessions.ErrorFunc = sessionError(logger)
	a.closers = append(a.closers, closeSessions)
	h := &handlers.Handler{Signing: a.Signing, Accounts: a.Accounts, Store: a.Store, Sessions: sessions, Blobs: a.Blobs,
		DevMailbox: a.DevMail, MaxUploadBytes: cfg.MaxUploadBytes, SignupClosed: !cfg.AllowSignup, SecureCookies: cfg.Secure()}
	a.Echo = a.newEcho(h)
	a.Handler = sessions.LoadAndSave(a.Echo)
	return a, nil
}

// newPDFPool creates the seal identity once (the children only read it) and the pool that parses untrusted PDFs.
func (a *App) newPDFPool(cfg config.Config) (*worker.Pool, error) {
	seal := worker.SealIdentity{Dir: cfg.DataDir, CommonName: "Signet document seal (" + baseHost(cfg.BaseURL) + ")", Location: cfg.BaseURLTrimmed()}
	if _, err := pdf.LoadOrCreateSealer(seal.Dir, seal.CommonName, pdf.WithSealLocation(seal.Location)); err != nil {
		return nil, err
	}
	pool, err := worker.New(worker.Config{Size: cfg.PDFWorkers, MemoryLimit: cfg.PDFWorkerMemory,
		FinalizeTimeout: cfg.PDFFinalizeTimeout, Seal: seal, Logger: a.Logger})
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, pool.Close)
	return pool, nil
}

// jobSettings carries the configured queue settings to the jobs package (zero values: defaults).
func jobSettings(j config.Jobs) jobs.Settings {
	return jobs.Settings{InteractiveWorkers: j.InteractiveWorkers, FinalizeWorkers: j.FinalizeWorkers, MailWorkers: j.MailWorkers,
		EmailTimeout: j.EmailTimeout, FinalizeTimeout: j.FinalizeTimeout, RescueAfter: j.RescueAfter, ShutdownGrace: j.ShutdownGrace}
}

func baseHost(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return baseURL
}

func dsnIfPostgres(driver, dsn string) string {
	if driver == "postgres" {
		return dsn
	}
	return ""
}

// newMailer delivers over SMTP when configured, otherwise keeps mail in the dev mailbox.
func (a *App) newMailer(cfg config.Config) (notify.Mailer, error) {
	if cfg.SMTPURL != "" {
		m, err := notify.NewSMTPMailer(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			return nil, fmt.Errorf("web: %w", err)
		}
		return m, nil
	}
	a.DevMail = true
	a.Logger.Warn("SIGNET_SMTP_URL is not set: email is NOT delivered; messages are kept in the dev mailbox at /dev/mailbox")
	return notify.NewDevMailbox(mailboxStore{a.Store}, a.Logger), nil
}

// mailboxStore lets the dev mailbox keep messages in Signet's database.
type mailboxStore struct{ store *models.Store }

func (m mailboxStore) SaveDevMessage(ctx context.Context, s notify.StoredMessage) error {
	return m.store.CreateDevMessage(ctx, &models.DevMessage{OrganizationID: s.OrganizationID, To: s.To, Subject: s.Subject,
		Text: s.Text, HTML: s.HTML, Link: s.Link, CreatedAt: s.CreatedAt})
}

func (a *App) newEcho(h *handlers.Handler) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(a.Logger, h)
	e.IPExtractor = echo.ExtractIPDirect()
	if a.Config.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	bodyLimit := fmt.Sprintf("%dK", (a.Config.MaxUploadBytes*4/3)/1024+1024)
	e.Use(requestLog(a.Logger), middleware.Recover(), securityHeaders(a.Config.Secure()),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: bodyLimit}),
		h.CSRFProtect(a.Config.BaseURL, isAPI),
		h.LoadUser)
	for _, r := range Routes(h, a.DB) {
		e.Add(r.Method, r.Path, r.Handler, r.Middleware...)
		if r.Method == http.MethodGet { // link checkers and monitors send HEAD
			e.Add(http.MethodHead, r.Path, r.Handler, r.Middleware...)
		}
	}
	return e
}

// Start begins working background jobs.
func (a *App) Start(ctx context.Context) error { return a.Queue.Start(ctx) }

// Close stops jobs (running ones get the shutdown grace, then are cancelled and retried on the
// next start) and releases every resource, in reverse order of creation.
func (a *App) Close(ctx context.Context) {
	if a.Queue != nil {
		if err := a.Queue.Stop(ctx); err != nil {
			a.Logger.Error("background jobs did not stop cleanly", "err", err)
		}
	}
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers, a.Queue = nil, nil // a second Close is a no-op
}

// Serve listens until ctx is cancelled, then shuts down gracefully.
func (a *App) Serve(ctx context.Context) error {
	srv := &http.Server{Addr: a.Config.Addr, Handler: a.Handler, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 5 * time.Minute, WriteTimeout: 5 * time.Minute, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	a.Logger.Info("Signet is listening", "addr", a.Config.Addr, "url", a.Config.BaseURL)
	select {
	case err := <-errc:
		return fmt.Errorf("web: server stopped: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cmp.Or(a.Config.Jobs.ShutdownGrace, 10*time.Second))
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = srv.Close() // requests still running after the grace are cut off
		return fmt.Errorf("web: shutdown: %w", err)
	}
	return nil
}

// quietRiver keeps River's routine logs out of the way while keeping its warnings.
func quietRiver(l *slog.Logger) *slog.Logger {
	return slog.New(levelFilter{l.Handler(), slog.LevelWarn})
}

type levelFilter struct {
	slog.Handler
	min slog.Level
}

func (f levelFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= f.min && f.Handler.Enabled(ctx, l)
}

func (f levelFilter) WithAttrs(a []slog.Attr) slog.Handler {
	return levelFilter{f.Handler.WithAttrs(a), f.min}
}

func (f levelFilter) WithGroup(n string) slog.Handler {
	return levelFilter{f.Handler.WithGroup(n), f.min}
}
