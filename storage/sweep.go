package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// tempPrefix names the files Put writes before renaming them into place.
const tempPrefix = ".tmp-"

// TempMaxAge is how old a temp file must be to be swept: younger ones may belong to a Put
// still running in another process sharing the directory.
const TempMaxAge = 10 * time.Minute

// SweepTemp removes temp files older than maxAge (left by a process killed during Put) and
// says how many it removed.
func (l *Local) SweepTemp(maxAge time.Duration) (int, error) {
	cutoff, removed := time.Now().Add(-maxAge), 0
	err := filepath.WalkDir(l.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) { // removed meanwhile
				return nil
			}
			return err
		}
		if d.IsDir() || !strings.HasPrefix(d.Name(), tempPrefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil || !info.ModTime().Before(cutoff) {
			return nil
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		removed++
		return nil
	})
	if err != nil {
		return removed, fmt.Errorf("storage: unable to sweep temp files: %w", err)
	}
	return removed, nil
}
