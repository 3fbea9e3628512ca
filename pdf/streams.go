package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"

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
	contents := contentStreams(xt)
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

// contentStreams returns the object numbers of every page's content streams; one pass over the objects, as
// looking each page up in the tree would be quadratic.
func contentStreams(xt *model.XRefTable) map[int]bool {
	nrs := map[int]bool{}
	add := func(o types.Object) {
		if r, ok := o.(types.IndirectRef); ok {
			nrs[r.ObjectNumber.Value()] = true
		}
	}
	for _, e := range xt.Table {
		if e == nil || e.Free {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok || d.Type() == nil || *d.Type() != "Page" {
			continue
		}
		o, _ := d.Find("Contents")
		add(o)
		if a, err := xt.DereferenceArray(o); err == nil {
			for _, c := range a {
				add(c)
			}
		}
	}
	return nrs
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
	if !jpeg && isPlainFlate(sd.FilterPipeline) {
		return inflates(sd.Raw, maxDecode)
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

// isPlainFlate reports a lone FlateDecode without a predictor, the common case inflates checks without buffering.
func isPlainFlate(pipeline []types.PDFFilter) bool {
	if len(pipeline) != 1 || pipeline[0].Name != filter.Flate {
		return false
	}
	if p, ok := pipeline[0].DecodeParms["Predictor"].(types.Integer); ok && p > 1 {
		return false
	}
	return true
}

var inflaters sync.Pool // of zlib readers, which also implement zlib.Resetter

// inflates decodes raw into nothing, as tolerant as pdfcpu and qpdf (a stream cut short is fine, a bad checksum
// is not) and refusing more than maxDecode bytes of output.
func inflates(raw []byte, maxDecode int64) error {
	var zr io.ReadCloser
	var err error
	if pooled, ok := inflaters.Get().(io.ReadCloser); ok {
		zr = pooled
		err = pooled.(zlib.Resetter).Reset(bytes.NewReader(raw), nil)
	} else {
		zr, err = zlib.NewReader(bytes.NewReader(raw))
	}
	if err != nil {
		return err
	}
	defer inflaters.Put(zr)
	n, err := io.Copy(io.Discard, io.LimitReader(zr, maxDecode+1))
	switch {
	case n > maxDecode:
		return fmt.Errorf("the stream expands beyond %d bytes", maxDecode)
	case err == nil, errors.Is(err, io.ErrUnexpectedEOF):
		return nil
	}
	return err
}
