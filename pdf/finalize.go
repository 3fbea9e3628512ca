package pdf

import (
	"bytes"
	"context"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Letter is the audit page size when the document's own last page is not a sensible portrait page.
const letterW, letterH = 612.0, 792.0

// Finalize stamps every signer into a signature block, appends the audit trail and returns the new PDF.
// It reads the original once into a pdfcpu context, edits the model and writes once (bench fact 1).
func Finalize(ctx context.Context, original []byte, signers []Signer, audit Audit) (out []byte, err error) {
	defer recoverInto(&err, "finalize")
	if len(original) == 0 {
		return nil, fmt.Errorf("pdf: finalize: %w", ErrEmpty)
	}
	pctx, err := load(ctx, original, newConf())
	if err != nil {
		return nil, fmt.Errorf("pdf: finalize: %w", err)
	}
	xt := pctx.XRefTable
	fr := coreFonts(xt)
	placedSigners, err := embedSignatures(xt, signers)
	if err != nil {
		return nil, fmt.Errorf("pdf: finalize: %w", err)
	}
	_, _, inh, err := xt.PageDict(pctx.PageCount, false)
	if err != nil {
		return nil, fmt.Errorf("pdf: finalize: last page: %w", err)
	}
	last, err := pageGeom(inh)
	if err != nil {
		return nil, fmt.Errorf("pdf: finalize: last page: %w", err)
	}
	w, h := newPageSize(last)

	var extra []*canvas
	switch {
	case len(placedSigners) == 0:
	case fitsOnPage(last.w, last.h, len(placedSigners)):
		if err := stampLastPage(pctx, placedSigners, fr); err != nil {
			return nil, fmt.Errorf("pdf: finalize: %w", err)
		}
	default:
		extra = signaturePages(placedSigners, w, h, audit.Title)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdf: finalize: %w", err)
	}
	for _, c := range append(extra, auditPages(audit, w, h)...) {
		if err := appendPage(pctx, w, h, c, fr); err != nil {
			return nil, fmt.Errorf("pdf: finalize: %w", err)
		}
	}
	dropStrayLengths(xt)
	// The output goes straight to Seal, which rewrites it with a classic table anyway: object streams would cost
	// packing here and unpacking there.
	pctx.WriteObjectStream = false
	pctx.WriteXRefStream = false
	var buf bytes.Buffer
	buf.Grow(len(original) + 64<<10)
	if err := api.WriteContext(pctx, &buf); err != nil {
		return nil, fmt.Errorf("pdf: finalize: write: %w", err)
	}
	return buf.Bytes(), nil
}

// dropStrayLengths removes /Length from plain (non-stream) dictionaries: pdfcpu packs them into object
// streams but its reader then refuses "object stream contains stream object", so the output would not reopen.
func dropStrayLengths(xt *model.XRefTable) {
	for _, e := range xt.Table {
		if e == nil || e.Free {
			continue
		}
		if d, ok := e.Object.(types.Dict); ok {
			delete(d, "Length")
		}
	}
}

// minAddedPageW is the narrowest page the audit trail's columns and two signature boxes fit on.
const minAddedPageW = 540.0

// newPageSize reuses the last page's size for added pages when it is a normal portrait page (A4 stays A4), else
// Letter: an A5, a receipt or a poster would squeeze or stretch the audit columns.
func newPageSize(g geom) (float64, float64) {
	if g.w >= minAddedPageW && g.w <= 1200 && g.h >= g.w && g.h <= 1700 {
		return g.w, g.h
	}
	return letterW, letterH
}
