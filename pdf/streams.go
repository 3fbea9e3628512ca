package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// checkedFilters are the filters qpdf --check decodes; streams using any other (JBIG2, JPX, CCITT) are left to readers.
var checkedFilters = map[string]bool{
	filter.Flate: true, filter.LZW: true, filter.ASCIIHex: true, filter.ASCII85: true, filter.RunLength: true, filter.DCT: true,
}

// checkStreams decodes every stream the way qpdf --check does, so an upload whose data is damaged (a Flate stream
// that does not inflate, a "JPEG" that is not one, a stream expanding past maxDecode) is refused at intake rather
// than accepted and sealed with the damage. Each stream is decoded alone and dropped, so memory stays bounded.
func checkStreams(ctx context.Context, xt *model.XRefTable, maxDecode int64) error {
	contents, err := contentStreams(xt)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	for nr, e := range xt.Table {
		if e == nil || e.Free {
			continue
		}
		sd, ok := e.Object.(types.StreamDict)
		if !ok {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if contents[nr] && !generalFilters(sd) {
			return fmt.Errorf("%w: page content stream %d is encoded with an image codec", ErrInvalid, nr)
		}
		if err := checkStream(sd, maxDecode); err != nil {
			return fmt.Errorf("%w: stream object %d cannot be decoded: %w", ErrInvalid, nr, err)
		}
	}
	return nil
}

// generalFilters reports whether sd uses only the general-purpose filters, all a content stream may use: readers
// (and qpdf --check) must decode it to draw the page.
func generalFilters(sd types.StreamDict) bool {
	for _, f := range sd.FilterPipeline {
		if !checkedFilters[f.Name] || f.Name == filter.DCT {
			return false
		}
	}
	return true
}

// contentStreams returns the object numbers of every page's content streams.
func contentStreams(xt *model.XRefTable) (map[int]bool, error) {
	nrs := map[int]bool{}
	for p := 1; p <= xt.PageCount; p++ {
		d, _, _, err := xt.PageDict(p, false)
		if err != nil {
			return nil, fmt.Errorf("page %d: %w", p, err)
		}
		o, _ := d.Find("Contents")
		if a, err := xt.DereferenceArray(o); err == nil && a != nil {
			for _, e := range a {
				if r, ok := e.(types.IndirectRef); ok {
					nrs[r.ObjectNumber.Value()] = true
				}
			}
		}
		if r, ok := o.(types.IndirectRef); ok {
			nrs[r.ObjectNumber.Value()] = true
		}
	}
	return nrs, nil
}

var errNotJPEG = errors.New("DCTDecode data does not start like a JPEG")

// checkStream decodes a copy of sd; a final DCTDecode is only checked for the JPEG start-of-image marker.
func checkStream(sd types.StreamDict, maxDecode int64) error {
	pipeline := sd.FilterPipeline
	for i, f := range pipeline {
		if !checkedFilters[f.Name] || (f.Name == filter.DCT && i != len(pipeline)-1) {
			return nil
		}
	}
	jpeg := len(pipeline) > 0 && pipeline[len(pipeline)-1].Name == filter.DCT
	if jpeg {
		sd.FilterPipeline = pipeline[:len(pipeline)-1]
	}
	data := sd.Raw
	if len(sd.FilterPipeline) > 0 {
		if err := sd.DecodeWithLimit(maxDecode); err != nil {
			return err
		}
		data = sd.Content
	}
	if jpeg && !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
		return errNotJPEG
	}
	return nil
}
