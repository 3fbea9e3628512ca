package pdf

import (
	"bytes"
	"fmt"
	"strings"
)

// handPDF writes a PDF object by object, numbering them from 1, and ends it with a classic xref table.
type handPDF struct {
	b    bytes.Buffer
	offs []int
}

func newHandPDF() *handPDF {
	p := &handPDF{}
	p.b.WriteString("%PDF-1.4\n")
	return p
}

// obj appends the next object with the given body.
func (p *handPDF) obj(body string) {
	p.offs = append(p.offs, p.b.Len())
	fmt.Fprintf(&p.b, "%d 0 obj\n%s\nendobj\n", len(p.offs), body)
}

// bytes ends the file with an ordinary xref table and trailer.
func (p *handPDF) bytes() []byte { return p.bytesWith("0000000000 65535 f \n", "") }

// bytesWith ends the file with entry0 for object 0 and extra entries after the objects, counted in /Size.
func (p *handPDF) bytesWith(entry0, extra string) []byte {
	size := len(p.offs) + 1 + strings.Count(extra, "\n")
	xref := p.b.Len()
	fmt.Fprintf(&p.b, "xref\n0 %d\n%s", size, entry0)
	for _, o := range p.offs {
		fmt.Fprintf(&p.b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&p.b, "%strailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", extra, size, xref)
	return p.b.Bytes()
}

// tinyPDF hand-writes a small PDF whose pages share one indirect /Resources dict and inherit
// /MediaBox and /Rotate from the page-tree root: the cases generated fixtures do not cover.
func tinyPDF(pages int, rootRotate int) []byte {
	p := newHandPDF()
	p.obj("<< /Type /Catalog /Pages 2 0 R >>")
	kids := ""
	for i := range pages {
		kids += fmt.Sprintf("%d 0 R ", 5+2*i)
	}
	p.obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] /Rotate %d /Resources 3 0 R >>", kids, pages, rootRotate))
	p.obj("<< /Font << /F1 4 0 R >> >>")
	p.obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	for i := range pages {
		content := fmt.Sprintf("BT /F1 14 Tf 72 760 Td (Tiny page %d) Tj ET", i+1)
		p.obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>", 6+2*i))
		p.obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content))
	}
	return p.bytes()
}

// sizedPDF hand-writes a one-page PDF whose page is w×h points.
func sizedPDF(w, h float64) []byte { return sizedPDFWith(w, h, "") }

// sizedPDFWith is sizedPDF with extra entries, e.g. a /Filter, in the content stream's dictionary.
func sizedPDFWith(w, h float64, contentDict string) []byte {
	p := newHandPDF()
	content := "BT /F1 10 Tf 10 10 Td (Sized page) Tj ET"
	p.obj("<< /Type /Catalog /Pages 2 0 R >>")
	p.obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	p.obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>", w, h))
	p.obj(fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", contentDict, len(content)+1, content))
	p.obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	return p.bytes()
}

// danglingPDF hand-writes a one-page PDF whose transparency group's /CS points at object 7, beyond the trailer's
// /Size, and whose /Thumb points at object 6, listed as free: references to objects the file does not define.
func danglingPDF() []byte {
	p := newHandPDF()
	content := "BT /F1 12 Tf 72 720 Td (Dangling references) Tj ET"
	p.obj("<< /Type /Catalog /Pages 2 0 R >>")
	p.obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	p.obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Group << /S /Transparency /CS 7 0 R >> /Thumb 6 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>")
	p.obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content))
	p.obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
	return p.bytesWith("0000000006 65535 f \n", "0000000000 00001 f \n") // object 6 free, and listed again at the end
}

// damagedStreamPDF hand-writes a one-page PDF whose page draws image object 5: a stream with the given filter and
// raw data, which need not decode.
func damagedStreamPDF(filter string, data []byte) []byte {
	p := newHandPDF()
	content := "q 100 0 0 100 72 600 cm /Im1 Do Q"
	p.obj("<< /Type /Catalog /Pages 2 0 R >>")
	p.obj("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	p.obj("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>")
	p.obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content)+1, content))
	p.obj(fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /%s /Length %d >>\nstream\n%s\nendstream", filter, len(data), data))
	return p.bytes()
}
