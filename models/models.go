// Package models holds Signet's GORM models and the store methods that read and write them.
package models

import (
	"time"

	"github.com/google/uuid"
)

// NewID returns a random, non-sequential identifier for URLs and the API.
func NewID() string { return uuid.NewString() }

// Organization is a tenant; every other row belongs to exactly one.
type Organization struct {
	ID        string `gorm:"primaryKey;size:36"`
	Name      string `gorm:"size:200;not null"`
	CreatedAt time.Time
}

// Roles a user can have inside an organization.
const (
	RoleOwner  = "owner"
	RoleMember = "member"
)

// User is a sender account.
type User struct {
	ID             string     `gorm:"primaryKey;size:36"`
	OrganizationID string     `gorm:"size:36;index;not null"`
	Email          string     `gorm:"size:320;uniqueIndex;not null"`
	Name           string     `gorm:"size:200"`
	PasswordHash   string     `gorm:"size:200;not null"`
	Role           string     `gorm:"size:20;not null"`
	ConfirmedAt    *time.Time // nil until the owner opens the emailed confirmation link
	CreatedAt      time.Time
	Organization   Organization
}

// APIKey authenticates integrators; only the hash of the key is stored.
type APIKey struct {
	ID             string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;index;not null"`
	UserID         string `gorm:"size:36;index;not null"`
	Name           string `gorm:"size:200"`
	Prefix         string `gorm:"size:20;not null"`
	Hash           string `gorm:"size:64;uniqueIndex;not null"`
	LastUsedAt     *time.Time
	RevokedAt      *time.Time
	CreatedAt      time.Time
}

// Document statuses (DESIGN §2).
const (
	DocDraft      = "draft"
	DocSent       = "sent"
	DocInProgress = "in_progress"
	DocCompleted  = "completed"
	DocDeclined   = "declined"
	DocCancelled  = "cancelled"
	DocExpired    = "expired"
)

// DocumentStatuses lists every status in display order.
var DocumentStatuses = []string{DocDraft, DocSent, DocInProgress, DocCompleted, DocDeclined, DocCancelled, DocExpired}

// Document is the envelope: the original PDF, its recipients and, once complete, the signed PDF.
type Document struct {
	ID             string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;index;not null"`
	CreatedByID    string `gorm:"size:36"`
	Title          string `gorm:"size:300;not null"`
	Message        string `gorm:"size:5000"`
	Status         string `gorm:"size:20;index;not null"`
	OriginalName   string `gorm:"size:300"`
	OriginalKey    string `gorm:"size:200;not null"`
	OriginalSHA256 string `gorm:"size:64;not null"`
	OriginalSize   int64
	PageCount      int
	SignedKey      string `gorm:"size:200"`
	SignedSHA256   string `gorm:"size:64"`
	ExpiresAt      *time.Time
	RedirectURL    string `gorm:"size:2000"`
	CallbackURL    string `gorm:"size:2000"`
	CreatedAt      time.Time
	UpdatedAt      time.Time
	SentAt         *time.Time
	CompletedAt    *time.Time
	Recipients     []Recipient `gorm:"constraint:OnDelete:CASCADE"`
}

// Recipient statuses (DESIGN §2).
const (
	RecipientPending  = "pending"
	RecipientNotified = "notified"
	RecipientOpened   = "opened"
	RecipientVerified = "verified"
	RecipientSigned   = "signed"
	RecipientDeclined = "declined"
)

// Verification methods a recipient can be asked to pass before seeing the document.
const (
	VerifyNone       = "none"
	VerifyAccessCode = "access_code"
	VerifyEmailOTP   = "email_otp"
	VerifySMSOTP     = "sms_otp"
)

// Recipient roles.
const (
	RoleSigner = "signer"
	RoleViewer = "viewer"
)

// Recipient is one person asked to sign (or view) a document.
type Recipient struct {
	ID                  string `gorm:"primaryKey;size:36"`
	DocumentID          string `gorm:"size:36;index;not null"`
	OrganizationID      string `gorm:"size:36;index;not null"`
	Name                string `gorm:"size:200;not null"`
	Email               string `gorm:"size:320;not null"`
	Phone               string `gorm:"size:40"`
	Role                string `gorm:"size:20;not null"`
	SigningOrder        int    `gorm:"not null"`
	Status              string `gorm:"size:20;not null"`
	Verification        string `gorm:"size:20;not null"`
	SigningConfirmation string `gorm:"size:20;not null;default:none"`
	TokenHash           string `gorm:"size:64;uniqueIndex;not null"`
	AccessCodeHash      string `gorm:"size:200"`
	SignatureImage      []byte
	TypedName           string `gorm:"size:200"`
	DeclineReason       string `gorm:"size:2000"`
	IP                  string `gorm:"size:64"`
	UserAgent           string `gorm:"size:500"`
	FailedAttempts      int    `gorm:"not null;default:0"`
	FailureWindowStart  *time.Time
	LockedUntil         *time.Time
	NotifiedAt          *time.Time
	OpenedAt            *time.Time
	VerifiedAt          *time.Time
	SignedAt            *time.Time
	DeclinedAt          *time.Time
	CreatedAt           time.Time
}

// Challenge is one one-time code sent to a recipient; only its keyed hash is stored.
type Challenge struct {
	ID           string `gorm:"primaryKey;size:36"`
	RecipientID  string `gorm:"size:36;index;not null"`
	Channel      string `gorm:"size:20;not null"`
	CodeHash     string `gorm:"size:64;not null"`
	IP           string `gorm:"size:64;index"`
	Attempts     int    `gorm:"not null;default:0"`
	ExpiresAt    time.Time
	ConsumedAt   *time.Time
	SupersededAt *time.Time
	CreatedAt    time.Time `gorm:"index"`
}

// AuditEvent is one append-only, hash-chained entry of a document's history.
type AuditEvent struct {
	ID          string `gorm:"primaryKey;size:36"`
	DocumentID  string `gorm:"size:36;not null;uniqueIndex:idx_audit_doc_seq"`
	Seq         int    `gorm:"not null;uniqueIndex:idx_audit_doc_seq"`
	RecipientID string `gorm:"size:36"`
	Actor       string `gorm:"size:400"`
	Event       string `gorm:"size:60;not null"`
	At          time.Time
	IP          string `gorm:"size:64"`
	UserAgent   string `gorm:"size:500"`
	Details     string `gorm:"size:4000"`
	PrevHash    string `gorm:"size:64"`
	Hash        string `gorm:"size:64;not null"`
}

// DevMessage is an email kept by the dev mailbox instead of being delivered.
type DevMessage struct {
	ID             string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;index"`
	To             string `gorm:"size:320"`
	Subject        string `gorm:"size:500"`
	Text           string
	HTML           string
	Link           string    `gorm:"size:2000"`
	CreatedAt      time.Time `gorm:"index"`
}
