package pdf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"
)

func TestInspectAcceptsGoodPDFs(t *testing.T) {
	for _, tc := range []struct {
		name  string
		data  []byte
		pages int
	}{
		{"in-10", fixture(t, "in-10.pdf"), 10},
		{"in-rot", fixture(t, "in-rot.pdf"), 10},
		{"in-200", fixture(t, "in-200.pdf"), 200},
		{"tiny shared resources", tinyPDF(3, 0), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Inspect(context.Background(), tc.data, DefaultLimits())
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			sum := sha256.Sum256(tc.data)
			if info.Pages != tc.pages || info.SHA256 != hex.EncodeToString(sum[:]) || info.Size != int64(len(tc.data)) {
				t.Fatalf("got %+v, want %d pages, sha %x, size %d", info, tc.pages, sum, len(tc.data))
			}
		})
	}
}

func TestInspectRejectsBadInput(t *testing.T) {
	in10 := fixture(t, "in-10.pdf")
	for _, tc := range []struct {
		name string
		data []byte
		lim  Limits
		want error
	}{
		{"empty", nil, DefaultLimits(), ErrEmpty},
		{"too large", in10, Limits{MaxBytes: 1000}, ErrTooLarge},
		{"png", fixture(t, "sig.png"), DefaultLimits(), ErrNotPDF},
		{"text", []byte("hello, this is not a PDF"), DefaultLimits(), ErrNotPDF},
		{"leading whitespace", append([]byte("\n "), in10...), DefaultLimits(), ErrNotPDF},
		{"user password", encrypt(t, in10, "user", "owner"), DefaultLimits(), ErrEncrypted},
		{"owner password only", encrypt(t, in10, "", "owner"), DefaultLimits(), ErrEncrypted},
		{"truncated at half", in10[:len(in10)/2], DefaultLimits(), ErrInvalid},
		{"truncated before trailer", in10[:len(in10)-200], DefaultLimits(), ErrInvalid},
		{"truncated in %%EOF", in10[:len(in10)-4], DefaultLimits(), ErrInvalid},
		{"header only", []byte("%PDF-1.7\n%%EOF\n"), DefaultLimits(), ErrInvalid},
		{"garbage body", []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"), DefaultLimits(), ErrInvalid},
		{"too many pages", in10, Limits{MaxPages: 5}, ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			info, err := Inspect(context.Background(), tc.data, tc.lim)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v (info %+v), want %v", err, info, tc.want)
			}
			if err.Error() == "" || info != (Info{}) {
				t.Fatalf("want an empty Info and a message, got %+v %q", info, err)
			}
		})
	}
}

func TestInspectTimeoutIsInvalid(t *testing.T) {
	_, err := Inspect(context.Background(), fixture(t, "in-200.pdf"), Limits{Timeout: time.Nanosecond})
	if !errors.Is(err, ErrInvalid) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want ErrInvalid wrapping the deadline", err)
	}
}

func TestInspectCallerCancelIsNotBlamedOnTheFile(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Inspect(ctx, fixture(t, "in-10.pdf"), DefaultLimits())
	if !errors.Is(err, context.Canceled) || errors.Is(err, ErrInvalid) {
		t.Fatalf("got %v, want context.Canceled and not ErrInvalid", err)
	}
}

func TestValidateAndPageCount(t *testing.T) {
	in10 := fixture(t, "in-10.pdf")
	if err := Validate(in10); err != nil {
		t.Fatalf("Validate: %v", err)
	}
	if n, err := PageCount(in10); err != nil || n != 10 {
		t.Fatalf("PageCount = %d, %v; want 10", n, err)
	}
	if err := Validate(in10[:len(in10)/3]); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Validate(truncated) = %v, want ErrInvalid", err)
	}
	if _, err := PageCount(encrypt(t, in10, "u", "o")); !errors.Is(err, ErrEncrypted) {
		t.Fatalf("PageCount(encrypted) = %v, want ErrEncrypted", err)
	}
	if err := Validate(nil); !errors.Is(err, ErrEmpty) {
		t.Fatalf("Validate(nil) = %v, want ErrEmpty", err)
	}
	if !bytes.HasPrefix(in10, []byte("%PDF-")) {
		t.Fatal("fixture is not a PDF")
	}
}

func TestRecoverIntoMakesPanicsInvalid(t *testing.T) {
	err := func() (err error) {
		defer recoverInto(&err, "test")
		var m map[string]int
		m["boom"]++ //lint:ignore SA5000 a nil-map write panics like a pdfcpu bug would
		return nil
	}()
	var pe *PanicError
	if !errors.Is(err, ErrInvalid) || !errors.As(err, &pe) || len(pe.Stack) == 0 || pe.Op != "test" {
		t.Fatalf("got %#v, want a *PanicError wrapping ErrInvalid with a stack", err)
	}
}
