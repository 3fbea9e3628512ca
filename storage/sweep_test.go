package storage

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Temp files a killed upload left behind are swept when the store opens; a fresh one (a Put
// still running elsewhere) and real blobs are kept.
func TestLocalSweepsOldTempFilesAtStart(t *testing.T) {
	root := t.TempDir()
	first, err := NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Put(context.Background(), "docs/a/original.pdf", []byte("%PDF-1.7 blob")); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "docs", "a")
	old, fresh := filepath.Join(dir, ".tmp-123456"), filepath.Join(dir, ".tmp-654321")
	for _, p := range []string{old, fresh} {
		if err := os.WriteFile(p, []byte("half a PDF"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	long := time.Now().Add(-time.Hour)
	if err := os.Chtimes(old, long, long); err != nil {
		t.Fatal(err)
	}

	reopened, err := NewLocal(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(old); !os.IsNotExist(err) {
		t.Errorf("the hour-old temp file survived the sweep (stat: %v)", err)
	}
	if _, err := os.Stat(fresh); err != nil {
		t.Errorf("the fresh temp file was swept: %v", err)
	}
	if b, err := reopened.Get(context.Background(), "docs/a/original.pdf"); err != nil || string(b) != "%PDF-1.7 blob" {
		t.Errorf("the blob after the sweep: %q, %v", b, err)
	}
	if n, err := reopened.SweepTemp(TempMaxAge); err != nil || n != 0 {
		t.Errorf("a second sweep removed %d files (%v), want 0", n, err)
	}
}
