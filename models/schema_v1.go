package models

import "time"

// The schema as migration 202611230001 created it. Frozen: later changes to the models get
// a migration of their own, so a fresh database and an upgraded one end up the same.

type v1Organization struct {
	ID        string `gorm:"primaryKey;size:36"`
	Name      string `gorm:"size:200;not null"`
	CreatedAt time.Time
}

func (v1Organization) TableName() string { return "organizations" }

type v1User struct {
	ID             string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;index;not null"`
	Email          string `gorm:"size:320;uniqueIndex;not null"`
	Name           string `gorm:"size:200"`
	PasswordHash   string `gorm:"size:200;not null"`
	Role           string `gorm:"size:20;not null"`
	CreatedAt      time.Time
	Organization   v1Organization `gorm:"foreignKey:OrganizationID"`
}

func (v1User) TableName() string { return "users" }

type v1APIKey struct {
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

func (v1APIKey) TableName() string { return "api_keys" }

type v1Document struct {
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
	Recipients     []v1Recipient `gorm:"foreignKey:DocumentID;constraint:OnDelete:CASCADE"`
}

func (v1Document) TableName() string { return "documents" }

type v1Recipient struct {
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

func (v1Recipient) TableName() string { return "recipients" }

type v1Challenge struct {
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

func (v1Challenge) TableName() string { return "challenges" }

type v1AuditEvent struct {
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

func (v1AuditEvent) TableName() string { return "audit_events" }

type v1DevMessage struct {
	ID             string `gorm:"primaryKey;size:36"`
	OrganizationID string `gorm:"size:36;index"`
	To             string `gorm:"size:320"`
	Subject        string `gorm:"size:500"`
	Text           string
	HTML           string
	Link           string    `gorm:"size:2000"`
	CreatedAt      time.Time `gorm:"index"`
}

func (v1DevMessage) TableName() string { return "dev_messages" }
