package storage

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

func TestLocalRoundTripAndRejectsTraversal(t *testing.T) {
	ctx := context.Background()
	s, err := Open("", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "docs/a/original.pdf", []byte("%PDF-1.7")); err != nil {
		t.Fatal(err)
	}
	got, err := s.Get(ctx, "docs/a/original.pdf")
	if err != nil || !bytes.Equal(got, []byte("%PDF-1.7")) {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if _, err := s.Get(ctx, "docs/missing.pdf"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing blob: got %v, want ErrNotFound", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "a/../../b", ""} {
		if err := s.Put(ctx, bad, []byte("x")); err == nil {
			t.Errorf("Put(%q) accepted a bad key", bad)
		}
	}
	if err := s.Delete(ctx, "docs/a/original.pdf"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, "docs/a/original.pdf"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("deleted blob still readable: %v", err)
	}
}
