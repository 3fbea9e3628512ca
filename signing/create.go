package signing

import (
	"context"
	"fmt"
	"net/mail"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"signet/models"
)

// MaxRecipients and MaxRounds bound one envelope.
const (
	MaxRecipients = 50
	MaxRounds     = 50
)

// RecipientInput is one signer as a sender names them.
type RecipientInput struct {
	Name, Email, Phone string
	Order              int    // signing round, 1–50; 0 means 1
	Verification       string // none | email_otp
}

// CreateInput is a new document as a sender (web or API) submits it.
type CreateInput struct {
	OrganizationID, UserID string
	Title, Message         string
	FileName               string
	PDF                    []byte
	Recipients             []RecipientInput
	Send                   bool
	Actor                  Actor
}

// Actor is who caused a change, for the audit trail.
type Actor struct{ Name, IP, UserAgent string }

// Validate checks everything but the PDF, giving one message per field.
func (in *CreateInput) Validate() *ValidationError {
	f := map[string]string{}
	in.Title, in.Message, in.FileName = strings.TrimSpace(clean(in.Title)), clean(in.Message), truncate(in.FileName, 300)
	if in.Title == "" {
		in.Title = strings.TrimSpace(in.FileName)
		if strings.HasSuffix(strings.ToLower(in.Title), ".pdf") {
			in.Title = in.Title[:len(in.Title)-4]
		}
	}
	switch {
	case in.Title == "":
		f["title"] = "Give the document a title."
	case utf8.RuneCountInString(in.Title) > 300:
		f["title"] = "The title can be at most 300 characters."
	}
	if utf8.RuneCountInString(in.Message) > 5000 {
		f["message"] = "The message can be at most 5000 characters."
	}
	if len(in.Recipients) == 0 {
		f["recipients"] = "Add at least one signer."
	}
	if len(in.Recipients) > MaxRecipients {
		f["recipients"] = fmt.Sprintf("A document can have at most %d recipients.", MaxRecipients)
	}
	seen := map[string]bool{}
	for i := range in.Recipients {
		r := &in.Recipients[i]
		key := "recipients[" + strconv.Itoa(i) + "]."
		r.Name, r.Email, r.Phone = strings.TrimSpace(clean(r.Name)), strings.ToLower(strings.TrimSpace(clean(r.Email))), strings.TrimSpace(clean(r.Phone))
		if r.Name == "" {
			f[key+"name"] = "Enter the signer's name."
		} else if utf8.RuneCountInString(r.Name) > 200 {
			f[key+"name"] = "The name can be at most 200 characters."
		}
		if !validEmail(r.Email) {
			f[key+"email"] = "Enter a valid email address, like name@example.com."
		} else if seen[r.Email] {
			f[key+"email"] = "This email address is already a signer of this document."
		}
		seen[r.Email] = true
		if r.Phone != "" && !validPhone(r.Phone) {
			f[key+"phone"] = "Enter the phone number in international form, like +44 20 7946 0000."
		}
		if r.Order == 0 {
			r.Order = 1
		}
		if r.Order < 1 || r.Order > MaxRounds {
			f[key+"order"] = fmt.Sprintf("The signing order must be between 1 and %d.", MaxRounds)
		}
		if r.Verification == "" {
			r.Verification = models.VerifyNone
		}
		if r.Verification != models.VerifyNone && r.Verification != models.VerifyEmailOTP {
			f[key+"authentication"] = `Choose "none" or "email_otp".`
		}
	}
	if len(f) > 0 {
		return &ValidationError{Fields: f}
	}
	return nil
}

func validEmail(s string) bool {
	if len(s) > 320 || strings.ContainsAny(s, " \r\n<>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func validPhone(s string) bool {
	if len(s) > 40 {
		return false
	}
	digits := 0
	for i, c := range s {
		switch {
		case c >= '0' && c <= '9':
			digits++
		case c == '+' && i == 0, c == ' ', c == '-', c == '(', c == ')':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

// CreateDocument validates the input and the PDF, stores both and, when asked, sends the document.
func (s *Service) CreateDocument(ctx context.Context, in CreateInput) (*models.Document, error) {
	if verr := in.Validate(); verr != nil {
		return nil, verr
	}
	leave, err := s.uploads.enter(in.OrganizationID)
	if err != nil {
		return nil, err
	}
	defer leave()
	info, err := s.parser.Inspect(ctx, in.PDF, s.limits)
	if err != nil {
		return nil, err
	}
	doc := &models.Document{
		ID: models.NewID(), OrganizationID: in.OrganizationID, CreatedByID: in.UserID,
		Title: in.Title, Message: strings.TrimSpace(in.Message), Status: models.DocDraft,
		OriginalName: in.FileName, OriginalSHA256: info.SHA256, OriginalSize: info.Size, PageCount: info.Pages,
	}
	doc.OriginalKey = "documents/" + doc.ID + "/original.pdf"
	for i, r := range in.Recipients {
		id := models.NewID()
		doc.Recipients = append(doc.Recipients, models.Recipient{
			ID: id, DocumentID: doc.ID, OrganizationID: in.OrganizationID,
			Name: r.Name, Email: r.Email, Phone: r.Phone, Role: models.RoleSigner,
			SigningOrder: r.Order, Status: models.RecipientPending, Verification: r.Verification,
			SigningConfirmation: models.VerifyNone, TokenHash: HashToken(s.keys.LinkToken(id)),
			CreatedAt: s.clock().Add(durationMicro(i)),
		})
	}
	if err := s.blobs.Put(ctx, doc.OriginalKey, in.PDF); err != nil {
		return nil, fmt.Errorf("signing: unable to store the original: %w", err)
	}
	err = s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		if err := st.CreateDocument(ctx, doc); err != nil {
			return err
		}
		if err := s.audit(ctx, st, doc.ID, "", "document_created", in.Actor, "Uploaded "+in.FileName+" ("+strconv.Itoa(info.Pages)+" pages, SHA-256 "+info.SHA256+")"); err != nil {
			return err
		}
		if in.Send {
			return s.send(ctx, tx, doc, in.Actor)
		}
		return nil
	})
	if err != nil {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), doc.OriginalKey) // nothing half-stored
		return nil, err
	}
	return s.store.Document(ctx, doc.OrganizationID, doc.ID)
}

// SigningURL is the link a recipient opens; it can be recomputed for the sender at any time.
func (s *Service) SigningURL(recipientID string) string {
	return s.baseURL + "/s/" + s.keys.LinkToken(recipientID)
}
