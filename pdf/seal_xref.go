package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// rewriteXRef replaces the cross-reference table and trailer pdfcpu wrote at the end of b with one that lists
// exactly the objects written and a /Size of one plus the highest of them. pdfcpu keeps the document's old /Size and
// lists stale free entries; pdfsign derives the update's /Size from the table's length and its new numbers from the
// highest object, so only an exact table gives a signed file that qpdf --check passes. Nothing before the table moves.
func rewriteXRef(b []byte, pctx *model.Context) ([]byte, error) {
	start, err := lastStartXRef(b)
	if err != nil {
		return nil, err
	}
	nrs := make([]int, 0, len(pctx.Write.Table)+1)
	nrs = append(nrs, 0)
	for nr := range pctx.Write.Table {
		if nr > 0 {
			nrs = append(nrs, nr)
		}
	}
	slices.Sort(nrs)
	if len(nrs) < 2 || pctx.Root == nil {
		return nil, errors.New("xref: nothing was written")
	}
	out := append(b[:start:start], "xref\n"...)
	for i := 0; i < len(nrs); {
		j := i + 1
		for j < len(nrs) && nrs[j] == nrs[j-1]+1 {
			j++
		}
		out = fmt.Appendf(out, "%d %d\n", nrs[i], j-i)
		for _, nr := range nrs[i:j] {
			if nr == 0 {
				out = append(out, "0000000000 65535 f\r\n"...)
				continue
			}
			off := pctx.Write.Table[nr]
			gen, err := writtenGeneration(b, off, nr)
			if err != nil {
				return nil, err
			}
			out = fmt.Appendf(out, "%010d %05d n\r\n", off, gen)
		}
		i = j
	}
	trailer := types.Dict{"Size": types.Integer(nrs[len(nrs)-1] + 1), "Root": *pctx.Root}
	if pctx.Info != nil {
		trailer["Info"] = *pctx.Info
	}
	if pctx.ID != nil {
		trailer["ID"] = pctx.ID
	}
	out = append(out, "trailer\n"...)
	out = append(out, trailer.PDFString()...)
	return fmt.Appendf(out, "\nstartxref\n%d\n%%%%EOF\n", start), nil
}

// lastStartXRef returns the offset the final startxref points at, checking that a classic table starts there.
func lastStartXRef(b []byte) (int, error) {
	const kw = "startxref"
	i := bytes.LastIndex(b, []byte(kw))
	if i < 0 {
		return 0, errors.New("xref: no startxref")
	}
	digits := bytes.TrimSpace(b[i+len(kw):])
	if j := bytes.IndexAny(digits, " \r\n%"); j >= 0 {
		digits = digits[:j]
	}
	start, err := strconv.Atoi(string(digits))
	if err != nil || start <= 0 || start >= i || !bytes.HasPrefix(b[start:], []byte("xref")) {
		return 0, fmt.Errorf("xref: startxref %q does not point at a cross-reference table", digits)
	}
	return start, nil
}

// writtenGeneration reads the generation from the "nr gen obj" header at off: pdfcpu writes the one of the reference
// it followed, which for a null written in place of a missing object need not match its table entry.
func writtenGeneration(b []byte, off int64, nr int) (int, error) {
	if off <= 0 || off >= int64(len(b)) {
		return 0, fmt.Errorf("xref: object %d written outside the file", nr)
	}
	head := b[off:min(int64(len(b)), off+32)]
	var gotNr, gen int
	if _, err := fmt.Sscanf(string(head), "%d %d obj", &gotNr, &gen); err != nil || gotNr != nr {
		return 0, fmt.Errorf("xref: no header for object %d at %d: %q", nr, off, head)
	}
	return gen, nil
}
