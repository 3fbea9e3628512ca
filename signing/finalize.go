package signing

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"gorm.io/gorm"

	"signet/jobs"
	"signet/models"
	"signet/pdf"
)

// Finalize stamps the signatures, appends the audit page, stores the signed PDF and tells everyone.
func (s *Service) Finalize(ctx context.Context, docID string) error {
	doc, err := s.store.DocumentByID(ctx, docID)
	if err != nil {
		return fmt.Errorf("signing: finalize: %w", err)
	}
	if doc.Status == models.DocCompleted {
		return nil // a retried job after success
	}
	if doc.Status != models.DocInProgress || nextRound(doc.Recipients) != 0 {
		// cancelled (or otherwise moved on) meanwhile: retrying cannot help
		return river.JobCancel(fmt.Errorf("signing: finalize: document %s is %s: %w", doc.ID, doc.Status, ErrWrongState))
	}
	original, err := s.blobs.Get(ctx, doc.OriginalKey)
	if err != nil {
		return fmt.Errorf("signing: finalize: %w", err)
	}
	events, err := s.store.AuditEvents(ctx, doc.ID)
	if err != nil {
		return err
	}
	now := s.clock()
	signed, err := s.parser.FinalizeAndSeal(ctx, original, pdfSigners(doc), pdfAudit(doc, events, now))
	if err != nil {
		return fmt.Errorf("signing: finalize: %w", err)
	}
	sum := sha256.Sum256(signed)
	signedSHA := hex.EncodeToString(sum[:])
	key := "documents/" + doc.ID + "/signed-" + signedSHA[:16] + ".pdf" // per run: a late duplicate never overwrites the stored file
	if err := s.blobs.Put(ctx, key, signed); err != nil {
		return fmt.Errorf("signing: finalize: %w", err)
	}
	moved := false
	err = s.queue.Transact(ctx, func(tx *gorm.DB) error {
		st := s.store.WithTx(tx)
		locked, err := st.DocumentForUpdate(ctx, doc.ID)
		if err != nil {
			return err
		}
		if locked.Status != models.DocInProgress || nextRound(locked.Recipients) != 0 {
			moved = true // completed by another run, or cancelled while we stamped
			return nil
		}
		cols := map[string]any{"status": models.DocCompleted, "signed_key": key, "signed_sha256": signedSHA, "completed_at": now}
		if err := st.UpdateDocument(ctx, locked, cols); err != nil {
			return err
		}
		if err := s.audit(ctx, st, doc.ID, "", EventDocumentCompleted, Actor{Name: "Signet"}, "Signed PDF SHA-256 "+signedSHA); err != nil {
			return err
		}
		for _, r := range locked.Recipients {
			if err := s.queue.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailCompletedSigner, DocumentID: doc.ID, RecipientID: r.ID}); err != nil {
				return err
			}
		}
		return s.queue.Enqueue(ctx, tx, jobs.EmailArgs{Message: jobs.EmailCompletedSender, DocumentID: doc.ID, UserID: doc.CreatedByID})
	})
	if err == nil && moved {
		_ = s.blobs.Delete(context.WithoutCancel(ctx), key) // nobody will point at it
	}
	return err
}

func pdfSigners(doc *models.Document) []pdf.Signer {
	var out []pdf.Signer
	for _, r := range doc.Recipients {
		if r.Role != models.RoleSigner || r.SignedAt == nil {
			continue
		}
		typed := r.TypedName
		if typed == "" && len(r.SignatureImage) == 0 {
			typed = r.Name
		}
		out = append(out, pdf.Signer{Name: r.Name, Email: r.Email, Image: r.SignatureImage, TypedName: typed, SignedAt: r.SignedAt.UTC()})
	}
	return out
}

func pdfAudit(doc *models.Document, events []models.AuditEvent, completedAt time.Time) pdf.Audit {
	a := pdf.Audit{DocumentID: doc.ID, Title: doc.Title, OriginalSHA256: doc.OriginalSHA256, CompletedAt: completedAt}
	if len(events) > 0 {
		a.ChainHead = events[len(events)-1].Hash
	}
	for _, r := range doc.Recipients {
		a.Recipients = append(a.Recipients, pdf.AuditRecipient{
			Name: r.Name, Email: r.Email, Role: r.Role, Verification: verificationLabel(r.Verification), Status: r.Status,
			IP: r.IP, UserAgent: r.UserAgent, OpenedAt: r.OpenedAt, VerifiedAt: r.VerifiedAt, SignedAt: r.SignedAt,
		})
	}
	for _, e := range events {
		a.Events = append(a.Events, pdf.AuditEvent{At: e.At.UTC(), Actor: e.Actor, Event: e.Event, IP: e.IP})
	}
	return a
}

// verificationLabel names a verification method for people.
func verificationLabel(v string) string {
	switch v {
	case models.VerifyEmailOTP:
		return "Email code"
	case models.VerifySMSOTP:
		return "SMS code"
	case models.VerifyAccessCode:
		return "Access code"
	default:
		return "Link only"
	}
}
