package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
)

// fixture reads a committed file from testdata.
func fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return b
}

// encrypt produces a password-protected copy of in with pdfcpu itself (AES-256).
func encrypt(tb testing.TB, in []byte, userPW, ownerPW string) []byte {
	tb.Helper()
	newConf() // makes sure the config dir is disabled before pdfcpu runs
	conf := model.NewAESConfiguration(userPW, ownerPW, 256)
	var out bytes.Buffer
	if err := api.Encrypt(bytes.NewReader(in), &out, conf); err != nil {
		tb.Fatalf("encrypt: %v", err)
	}
	return out.Bytes()
}

var signedAt = time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)

// twoSigners is the common case: one drawn and one typed signature.
func twoSigners(tb testing.TB) []Signer {
	return []Signer{
		{Name: "Jane Doe", Email: "jane@example.com", Image: fixture(tb, "sig.png"), SignedAt: signedAt},
		{Name: "Richard Roe", Email: "richard@example.org", TypedName: "Richard Roe", SignedAt: signedAt.Add(time.Hour)},
	}
}

func sampleAudit(events int) Audit {
	opened := signedAt.Add(-2 * time.Hour)
	verified := signedAt.Add(-time.Hour)
	a := Audit{
		DocumentID:     "doc_7f3a9c2e4b1d",
		Title:          "Master Services Agreement",
		OriginalSHA256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
		ChainHead:      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
		CompletedAt:    signedAt.Add(time.Hour),
		Recipients: []AuditRecipient{
			{Name: "Jane Doe", Email: "jane@example.com", Role: "signer", Verification: "email_otp", Status: "signed", IP: "203.0.113.7", UserAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", OpenedAt: &opened, VerifiedAt: &verified, SignedAt: &signedAt},
			{Name: "Richard Roe", Email: "richard@example.org", Role: "signer", Verification: "none", Status: "signed", IP: "198.51.100.23", UserAgent: "curl/8.5.0", OpenedAt: &opened},
		},
	}
	for i := range events {
		a.Events = append(a.Events, AuditEvent{At: signedAt.Add(time.Duration(i) * time.Minute), Actor: "Jane Doe <jane@example.com>", Event: "recipient.viewed the document and scrolled to the signature field", IP: "203.0.113.7"})
	}
	return a
}
