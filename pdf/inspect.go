package pdf

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// Limits bounds the work Inspect does on an untrusted upload.
type Limits struct {
	MaxBytes int64
	Timeout  time.Duration
	MaxPages int
}

// DefaultLimits returns the design's upload limits: 25 MiB, 20 s, 500 pages.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 25 << 20, Timeout: 20 * time.Second, MaxPages: 500}
}

// withDefaults fills zero fields so a partly set Limits never means "unlimited".
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	return l
}

// Info describes an accepted upload.
type Info struct {
	Pages  int
	SHA256 string // hex of the bytes
	Size   int64
}

// eofWindow follows Acrobat's rule that %%EOF must appear within the last 1024 bytes; pdfcpu alone repairs some truncations.
const eofWindow = 1024

// Inspect validates untrusted bytes and reports page count and hash; every failure wraps one of the typed errors.
func Inspect(ctx context.Context, data []byte, lim Limits) (Info, error) {
	lim = lim.withDefaults()
	if len(data) == 0 {
		return Info{}, fmt.Errorf("pdf: inspect: %w", ErrEmpty)
	}
	if int64(len(data)) > lim.MaxBytes {
		return Info{}, fmt.Errorf("pdf: inspect: %w: %d bytes, the limit is %d", ErrTooLarge, len(data), lim.MaxBytes)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return Info{}, fmt.Errorf("pdf: inspect: %w", ErrNotPDF)
	}
	if !bytes.Contains(data[max(0, len(data)-eofWindow):], []byte("%%EOF")) {
		return Info{}, fmt.Errorf("pdf: inspect: %w: no %%%%EOF marker, the file looks truncated", ErrInvalid)
	}
	pages, err := parseWithTimeout(ctx, data, lim)
	if err != nil {
		return Info{}, err
	}
	if pages > lim.MaxPages {
		return Info{}, fmt.Errorf("pdf: inspect: %w: the document has %d pages, the limit is %d", ErrInvalid, pages, lim.MaxPages)
	}
	sum := sha256.Sum256(data)
	return Info{Pages: pages, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}, nil
}

// parseWithTimeout runs pdfcpu in a goroutine so a pathological file costs the caller at most lim.Timeout;
// reading stops at the deadline, but pdfcpu's validation cannot be interrupted and finishes in the background.
func parseWithTimeout(parent context.Context, data []byte, lim Limits) (int, error) {
	ctx, cancel := context.WithTimeout(parent, lim.Timeout)
	defer cancel()
	type result struct {
		pages int
		err   error
	}
	done := make(chan result, 1) // buffered: an abandoned goroutine must still be able to finish
	go func() {
		var r result
		defer func() { done <- r }()
		defer recoverInto(&r.err, "inspect") // a panic in this goroutine would otherwise kill the process
		conf := intakeConf(lim.MaxBytes)
		pctx, err := load(ctx, data, conf)
		if err == nil {
			err = refuseSigned(pctx.XRefTable)
		}
		if err == nil {
			err = checkStreams(ctx, pctx.XRefTable, conf.Limits.MaxDecodeBytes)
		}
		if err != nil {
			r.err = err
			return
		}
		r.pages = pctx.PageCount
	}()
	select {
	case r := <-done:
		if r.err != nil && parent.Err() != nil {
			return 0, fmt.Errorf("pdf: inspect: %w", parent.Err())
		}
		if r.err != nil && errors.Is(r.err, context.DeadlineExceeded) && !errors.Is(r.err, ErrInvalid) {
			return 0, fmt.Errorf("pdf: inspect: %w: %w", ErrInvalid, r.err)
		}
		if r.err != nil {
			return 0, fmt.Errorf("pdf: inspect: %w", r.err)
		}
		return r.pages, nil
	case <-ctx.Done():
		if err := parent.Err(); err != nil {
			return 0, fmt.Errorf("pdf: inspect: %w", err)
		}
		return 0, fmt.Errorf("pdf: inspect: %w: parsing took longer than %s: %w", ErrTooComplex, lim.Timeout, ctx.Err())
	}
}
