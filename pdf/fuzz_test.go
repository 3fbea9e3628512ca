package pdf

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"
)

// FuzzInspect feeds arbitrary bytes to the upload gate: it must never panic, must only fail with a typed error,
// and whatever it accepts must also survive Finalize, or a document could be sent and then never complete.
func FuzzInspect(f *testing.F) {
	f.Add(tinyPDF(1, 0))
	f.Add([]byte("%PDF-1.7\n%%EOF\n"))
	lim := Limits{MaxBytes: 1 << 20, Timeout: 5 * time.Second, MaxPages: 50}
	signer := []Signer{{Name: "Fuzz", Email: "fuzz@example.com", Image: fixture(f, "sig.png"), SignedAt: signedAt}}
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := Inspect(context.Background(), data, lim)
		if err != nil {
			for _, typed := range []error{ErrEmpty, ErrNotPDF, ErrEncrypted, ErrInvalid, ErrTooLarge} {
				if errors.Is(err, typed) {
					return
				}
			}
			t.Fatalf("untyped error: %v", err)
		}
		sum := sha256.Sum256(data)
		if info.Pages < 1 || info.Pages > lim.MaxPages || info.Size != int64(len(data)) || info.SHA256 != hex.EncodeToString(sum[:]) {
			t.Fatalf("inconsistent info %+v for %d bytes", info, len(data))
		}
		out, err := Finalize(context.Background(), data, signer, Audit{DocumentID: "fuzz"})
		if err != nil {
			t.Fatalf("accepted upload cannot be finalized: %v", err)
		}
		// One audit page, plus a "Signatures" page when the last page is too small for the block.
		if n, err := PageCount(out); err != nil || n < info.Pages+1 || n > info.Pages+2 {
			t.Fatalf("finalized output: %d pages, %v; want %d or %d", n, err, info.Pages+1, info.Pages+2)
		}
	})
}
