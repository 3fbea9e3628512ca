package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/validate"
)

// load parses and validates data into a pdfcpu context, classifying every failure as ErrEncrypted or ErrInvalid.
func load(ctx context.Context, data []byte, conf *model.Configuration) (pctx *model.Context, err error) {
	defer recoverInto(&err, "read")
	if pctx, err = read(ctx, data, conf); err != nil {
		return nil, err
	}
	// pdfcpu's validation trips over objects still packed in object streams ("wrong type … LazyObjectStreamObject").
	if err := decodeLazy(ctx, pctx.XRefTable); err != nil {
		return nil, fmt.Errorf("structure: %w: %w", ErrInvalid, err)
	}
	if err := validate.XRefTable(pctx); err != nil {
		return nil, fmt.Errorf("structure: %w: %w", ErrInvalid, err)
	}
	if pctx.PageCount < 1 {
		return nil, fmt.Errorf("structure: %w: the document has no pages", ErrInvalid)
	}
	// Relaxed validation lets some broken page trees through; Finalize stamps the last page, so it must resolve now.
	_, _, inh, err := pctx.PageDict(pctx.PageCount, false)
	if err == nil {
		_, err = pageGeom(inh)
	}
	if err != nil {
		return nil, fmt.Errorf("structure: %w: last page: %w", ErrInvalid, err)
	}
	reserveNumbers(pctx.XRefTable)
	return pctx, nil
}

// read parses data with pdfcpu, classifying a failure as ErrEncrypted or ErrInvalid.
func read(ctx context.Context, data []byte, conf *model.Configuration) (*model.Context, error) {
	pctx, err := pdfcpu.ReadWithContext(ctx, bytes.NewReader(data), conf)
	if err != nil {
		if isEncryptionError(err) {
			return nil, fmt.Errorf("read: %w: %w", ErrEncrypted, err)
		}
		return nil, fmt.Errorf("read: %w: %w", ErrInvalid, err)
	}
	// A PDF with only an owner password opens without one, but we still refuse it: it cannot be sealed as-is.
	if pctx.Encrypt != nil {
		return nil, fmt.Errorf("read: %w", ErrEncrypted)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	return pctx, nil
}

// loadOwn reads a PDF that Finalize wrote, without pdfcpu's validation: that costs as much as the first pass on a
// large file and fails on quirks of the original that finalisation deliberately carried over.
func loadOwn(ctx context.Context, data []byte) (pctx *model.Context, err error) {
	defer recoverInto(&err, "read")
	if pctx, err = read(ctx, data, newConf()); err != nil {
		return nil, err
	}
	if err := pctx.EnsurePageCount(); err != nil || pctx.PageCount < 1 {
		return nil, fmt.Errorf("structure: %w: no usable page tree: %w", ErrInvalid, errors.Join(err, errors.New("no pages")))
	}
	if err := decodeLazy(ctx, pctx.XRefTable); err != nil {
		return nil, fmt.Errorf("structure: %w: %w", ErrInvalid, err)
	}
	reserveNumbers(pctx.XRefTable)
	return pctx, nil
}

// isEncryptionError recognises pdfcpu's password and unsupported-encryption failures, some of which are not sentinels.
func isEncryptionError(err error) bool {
	if errors.Is(err, pdfcpu.ErrWrongPassword) || errors.Is(err, pdfcpu.ErrEncrypted) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "encryption setup") || strings.Contains(msg, "encryption dictionary")
}

// PanicError is what a recovered panic becomes; it counts as ErrInvalid and keeps the stack for the caller's log.
type PanicError struct {
	Op    string
	Value any
	Stack []byte
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("pdf: %s: %v: recovered panic: %v", e.Op, ErrInvalid, e.Value)
}

func (e *PanicError) Unwrap() error { return ErrInvalid }

// recoverInto turns a panic from pdfcpu or our own code into a *PanicError so hostile input cannot crash the server.
func recoverInto(err *error, op string) {
	if r := recover(); r != nil {
		*err = &PanicError{Op: op, Value: r, Stack: debug.Stack()}
	}
}
