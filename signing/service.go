// Package signing is Signet's domain: documents move through their states here and nowhere else.
package signing

import (
	"time"

	"signet/jobs"
	"signet/models"
	"signet/notify"
	"signet/otp"
	"signet/pdf"
	"signet/storage"
)

// Service decides what may happen next to a document and records every change in the audit trail.
type Service struct {
	store   *models.Store
	queue   *jobs.Queue
	blobs   storage.Blobs
	mailer  notify.Mailer
	hasher  *otp.Hasher
	keys    *Keys
	policy  otp.Policy
	limits  pdf.Limits
	parser  PDFProcessor
	uploads *uploadGate
	baseURL string
	now     func() time.Time
}

// Deps are what the Service is built from.
type Deps struct {
	Store     *models.Store
	Queue     *jobs.Queue
	Blobs     storage.Blobs
	Mailer    notify.Mailer
	SecretKey []byte
	Policy    otp.Policy
	Limits    pdf.Limits
	Sealer    *pdf.Sealer  // seals finished PDFs so later changes are detectable; used only when PDF is nil
	PDF       PDFProcessor // parses untrusted PDFs (the worker pool); nil parses in this process
	// UploadsPerAccount caps one organization's uploads being checked at once; 0 means DefaultUploadsPerAccount
	UploadsPerAccount int
	BaseURL           string
	Now               func() time.Time // tests move the clock; nil means time.Now
}

// New builds the Service.
func New(d Deps) *Service {
	now := d.Now
	if now == nil {
		now = time.Now
	}
	proc := d.PDF
	if proc == nil {
		proc = inProcess{sealer: d.Sealer}
	}
	return &Service{
		store: d.Store, queue: d.Queue, blobs: d.Blobs, mailer: d.Mailer,
		hasher: otp.NewHasher(d.SecretKey), keys: NewKeys(d.SecretKey),
		policy: d.Policy, limits: d.Limits, parser: proc, uploads: newUploadGate(d.UploadsPerAccount), baseURL: d.BaseURL, now: now,
	}
}

func (s *Service) clock() time.Time { return s.now().UTC() }

// Now is the service's clock, so pages agree with the rules (tests move it).
func (s *Service) Now() time.Time { return s.clock() }

// Policy returns the OTP policy in force, for pages that explain it.
func (s *Service) Policy() otp.Policy { return s.policy }
