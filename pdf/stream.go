package pdf

import (
	"bytes"
	"compress/zlib"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/filter"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// zlib writers are pooled per level: pdfcpu allocates a fresh ~1 MB deflater per stream, which was 80% of Finalize's garbage.
var deflaters = map[int]*sync.Pool{}

func init() {
	for _, level := range []int{zlib.BestSpeed, zlib.DefaultCompression} {
		deflaters[level] = &sync.Pool{New: func() any {
			w, _ := zlib.NewWriterLevel(nil, level)
			return w
		}}
	}
}

func deflate(b []byte, level int) []byte {
	pool := deflaters[level]
	w := pool.Get().(*zlib.Writer)
	defer pool.Put(w)
	var out bytes.Buffer
	out.Grow(len(b)/4 + 64)
	w.Reset(&out)
	w.Write(b) // writes to a bytes.Buffer cannot fail
	w.Close()
	return out.Bytes()
}

// flateStream builds an already-encoded Flate stream; the writer copies Raw as is.
func flateStream(d types.Dict, content []byte, level int) types.StreamDict {
	raw := deflate(content, level)
	n := int64(len(raw))
	d["Filter"] = types.Name(filter.Flate)
	d["Length"] = types.Integer(n)
	return types.StreamDict{
		Dict:           d,
		Content:        content,
		Raw:            raw,
		StreamLength:   &n,
		FilterPipeline: []types.PDFFilter{{Name: filter.Flate}},
	}
}

// addStream adds a Flate-encoded stream object and returns its reference.
func addStream(xt *model.XRefTable, d types.Dict, content []byte, level int) (types.IndirectRef, error) {
	return newObject(xt, flateStream(d, content, level)), nil
}

// addContent adds a page content stream.
func addContent(xt *model.XRefTable, content []byte) (types.IndirectRef, error) {
	return addStream(xt, types.Dict{}, content, zlib.DefaultCompression)
}
