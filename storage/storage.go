// Package storage keeps PDF blobs: in a local directory by default, or in an
// S3-compatible bucket (see s3.go).
package storage

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

// ErrNotFound is returned for a key that holds nothing.
var ErrNotFound = errors.New("storage: blob not found")

// Blobs is what the rest of Signet needs from a blob store.
type Blobs interface {
	Put(ctx context.Context, key string, data []byte) error
	Get(ctx context.Context, key string) ([]byte, error)
	Delete(ctx context.Context, key string) error
}

// Open returns the store named by a SIGNET_STORAGE_URL; empty means the local data dir.
func Open(rawURL, dataDir string) (Blobs, error) {
	if rawURL == "" {
		return NewLocal(filepath.Join(dataDir, "blobs"))
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse echoes the whole URL, which may carry a secret key: say what is
		// wrong without repeating it.
		return nil, urlSyntaxError(err)
	}
	switch u.Scheme {
	case "file":
		return NewLocal(filepath.Join(u.Host, u.Path))
	case "s3":
		return openS3(rawURL, u)
	default:
		return nil, fmt.Errorf("storage: unsupported SIGNET_STORAGE_URL scheme %q (file:// and s3:// are supported)", u.Scheme)
	}
}

// Local stores each blob as a file below a root directory.
type Local struct{ root string }

// NewLocal creates the root directory if needed and sweeps temp files a killed Put left behind.
func NewLocal(root string) (*Local, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("storage: unable to create %s: %w", root, err)
	}
	l := &Local{root: root}
	_, _ = l.SweepTemp(TempMaxAge) // best effort: a leftover only wastes space, it is never read
	return l, nil
}

var validKey = regexp.MustCompile(`^[a-zA-Z0-9._-]+(/[a-zA-Z0-9._-]+)*$`)

// checkKey is the one rule for blob keys, whatever the backend: slash-separated
// segments of letters, digits, '.', '_' and '-', never "..".
func checkKey(key string) error {
	if !validKey.MatchString(key) || strings.Contains(key, "..") {
		return fmt.Errorf("storage: invalid key %q", key)
	}
	return nil
}

func (l *Local) path(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// Put writes atomically (temp file + rename) so a crash never leaves half a PDF.
func (l *Local) Put(_ context.Context, key string, data []byte) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("storage: unable to create dir: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), tempPrefix+"*")
	if err != nil {
		return fmt.Errorf("storage: unable to create temp file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("storage: unable to write blob: %w", err)
	}
	if err := tmp.Sync(); err != nil { // on disk before the database row that points at it commits
		tmp.Close()
		return fmt.Errorf("storage: unable to sync blob: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("storage: unable to write blob: %w", err)
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		return fmt.Errorf("storage: unable to store blob: %w", err)
	}
	if dir, err := os.Open(filepath.Dir(p)); err == nil { // make the rename itself durable
		dir.Sync()
		dir.Close()
	}
	return nil
}

// Get reads a blob.
func (l *Local) Get(_ context.Context, key string) ([]byte, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) || errors.Is(err, syscall.EISDIR) { // a directory is no blob
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("storage: unable to read blob: %w", err)
	}
	return b, nil
}

// Delete removes a blob; a missing one is not an error.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if fi, err := os.Lstat(p); err == nil && fi.IsDir() { // a directory is no blob: nothing to delete
		return nil
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("storage: unable to delete blob: %w", err)
	}
	return nil
}
