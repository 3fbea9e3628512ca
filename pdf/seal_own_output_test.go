package pdf

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// Seal trusts that its input is Finalize's output and does not run pdfcpu's validation again: a quirk of the
// original that validation refuses (here a transparency group whose /CS is a font) must not stop the seal.
func TestSealDoesNotRevalidateItsInput(t *testing.T) {
	quirky := bytes.Replace(danglingPDF(), []byte("/CS 7 0 R"), []byte("/CS 5 0 R"), 1)
	if err := Validate(quirky); !errors.Is(err, ErrInvalid) {
		t.Fatalf("pdfcpu's validation accepts the quirky PDF (%v), so the test proves nothing", err)
	}
	s := newTestSealer(t)
	sealed, err := s.Seal(context.Background(), quirky)
	if err != nil {
		t.Fatalf("Seal validated its input again: %v", err)
	}
	info, err := verifySeal(sealed)
	if err != nil || !info.Valid || !info.Certified || info.Fingerprint != s.Fingerprint() {
		t.Fatalf("verifySeal: %+v, %v", info, err)
	}
	qpdfClean(t, "sealed", sealed)
}
