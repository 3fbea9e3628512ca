package pdf

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"testing"
)

// A stream whose data does not decode would make the sealed PDF fail qpdf --check: intake refuses it, and
// accepts the same file with intact data.
func TestInspectRefusesUndecodableStreams(t *testing.T) {
	var flate bytes.Buffer
	w := zlib.NewWriter(&flate)
	w.Write([]byte{0x80})
	w.Close()
	for name, c := range map[string]struct {
		filter string
		data   []byte
		want   error
	}{
		"flate ok":      {"FlateDecode", flate.Bytes(), nil},
		"flate garbage": {"FlateDecode", []byte("this is not zlib data at all"), ErrInvalid},
		"jpeg ok":       {"DCTDecode", []byte("\xff\xd8\xff\xe0 rest of a JPEG"), nil},
		"jpeg not":      {"DCTDecode", []byte("12345 is no JPEG"), ErrInvalid},
		"hex garbage":   {"ASCIIHexDecode", []byte("zz not hex zz>"), ErrInvalid},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Inspect(context.Background(), damagedStreamPDF(c.filter, c.data), DefaultLimits())
			if c.want == nil && err != nil || c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("Inspect: %v, want %v", err, c.want)
			}
		})
	}
}

// A page's content stream encoded with an image codec (pdf.js's bomb_giant.pdf uses JBIG2) cannot be drawn or checked.
func TestInspectRefusesContentStreamWithImageCodec(t *testing.T) {
	in := sizedPDFWith(612, 792, "/Filter /JBIG2Decode")
	if _, err := Inspect(context.Background(), in, DefaultLimits()); !errors.Is(err, ErrInvalid) {
		t.Fatalf("Inspect: %v, want ErrInvalid", err)
	}
	if _, err := Inspect(context.Background(), sizedPDF(612, 792), DefaultLimits()); err != nil {
		t.Fatalf("Inspect of the intact file: %v", err)
	}
}
