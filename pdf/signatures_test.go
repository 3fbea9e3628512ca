package pdf

import (
	"context"
	"errors"
	"testing"
)

// A PDF that already carries a signature is refused at intake: finalisation would rewrite it and break that
// signature. Signet's own sealed output, uploaded again, is the everyday case.
func TestInspectRefusesAlreadySignedPDFs(t *testing.T) {
	_, _, sealed := sealedIn10(t)
	if _, err := Inspect(context.Background(), sealed, DefaultLimits()); !errors.Is(err, ErrSigned) {
		t.Fatalf("Inspect(sealed PDF) = %v, want ErrSigned", err)
	}
	if _, err := Inspect(context.Background(), tinyPDF(2, 0), DefaultLimits()); err != nil {
		t.Fatalf("Inspect(unsigned PDF) = %v, want it accepted", err)
	}
}
