// Package storage keeps PDF blobs: in a local directory by default.
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
		return nil, fmt.Errorf("storage: bad SIGNET_STORAGE_URL: %w", err)
	}
	switch u.Scheme {
	case "file":
		return NewLocal(filepath.Join(u.Host, u.Path))
	default:
		return nil, fmt.Errorf("storage: unsupported SIGNET_STORAGE_URL scheme %q (file:// is supported)", u.Scheme)
	}
}

// Local stores each blob as a file below a root directory.
type Local struct{ root string }

// NewLocal creates the root directory if needed.
func NewLocal(root string) (*Local, error) {
	if err := os.MkdirAll(root, 0o700); err != nil {
		return nil, fmt.Errorf("storage: unable to create %s: %w", root, err)
	}
	return &Local{root: root}, nil
}

var validKey = regexp.MustCompile(`^[a-zA-Z0-9._-]+(/[a-zA-Z0-9._-]+)*$`)

func (l *Local) path(key string) (string, error) {
	if !validKey.MatchString(key) || strings.Contains(key, "..") {
		return "", fmt.Errorf("storage: invalid key %q", key)
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
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
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
	if errors.Is(err, os.ErrNotExist) {
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
	if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("storage: unable to delete blob: %w", err)
	}
	return nil
}
