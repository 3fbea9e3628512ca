// Package hostilepdf writes small PDFs that cost a parser far more than their size, for tests of the limits:
// object graphs that are DAGs (each node lists the next one twice, so a naive walk doubles per level),
// millions of strings on one line, and a decompression bomb.
package hostilepdf

import (
	"bytes"
	"fmt"
	"strings"
)

// doc assembles numbered objects into a PDF with a correct cross-reference table.
type doc struct{ objs []string }

// add appends an object and returns its number.
func (d *doc) add(body string) int {
	d.objs = append(d.objs, body)
	return len(d.objs)
}

// set replaces object n, for objects that must point forward.
func (d *doc) set(n int, body string) { d.objs[n-1] = body }

func (d *doc) bytes(root int) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(d.objs))
	for i, o := range d.objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(d.objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(d.objs)+1, root, xref)
	return b.Bytes()
}

func stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// onePage starts a document whose single page uses resources; the catalog gets extra entries.
// It returns the document, the catalog's and the page's object numbers.
func onePage(resources, catalogExtra string) (*doc, int, int) {
	d := &doc{}
	catalog := d.add("")
	pages := d.add("")
	content := d.add(stream("", "0 0 m 1 1 l S"))
	page := d.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << %s >> >>", pages, content, resources))
	d.set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	d.set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R %s >>", pages, catalogExtra))
	return d, catalog, page
}

// chain adds depth nodes, node i listing node i+1 twice through twice(next), and a leaf; it returns the first.
// Nodes are reserved first so each can point forward.
func chain(d *doc, depth int, node func(next int) string, leaf string) int {
	first := len(d.objs) + 1
	for range depth {
		d.add("")
	}
	last := d.add(leaf)
	for i := range depth {
		next := first + i + 1
		if i == depth-1 {
			next = last
		}
		d.set(first+i, node(next))
	}
	return first
}

// Kinds of DAG the parser walks: each names where pdfcpu meets it.
var Kinds = []string{"nametree", "structtree", "function", "pattern", "xobject", "acroform"}

// DAG returns a PDF whose object graph of the given kind is depth levels deep, every node referencing the next twice.
func DAG(kind string, depth int) []byte {
	switch kind {
	case "nametree":
		d, catalog, page := onePage("", "")
		first := chain(d, depth, func(n int) string { return fmt.Sprintf("<< /Kids [%d 0 R %d 0 R] >>", n, n) },
			"<< /Names [(a) [4 0 R /Fit]] >>")
		_ = page
		return patchCatalog(d, catalog, fmt.Sprintf("/Names << /Dests %d 0 R >>", first))
	case "structtree":
		d, catalog, _ := onePage("", "")
		first := chain(d, depth, func(n int) string { return fmt.Sprintf("<< /Type /StructElem /S /Div /K [%d 0 R %d 0 R] >>", n, n) },
			"<< /Type /StructElem /S /P /K 0 >>")
		return patchCatalog(d, catalog, fmt.Sprintf("/MarkInfo << /Marked true >> /StructTreeRoot << /Type /StructTreeRoot /K %d 0 R >>", first))
	case "function":
		d := &doc{}
		first := chain(d, depth, func(n int) string {
			return fmt.Sprintf("<< /FunctionType 3 /Domain [0 1] /Functions [%d 0 R %d 0 R] /Bounds [0.5] /Encode [0 1 0 1] >>", n, n)
		}, "<< /FunctionType 2 /Domain [0 1] /C0 [0] /C1 [1] /N 1 >>")
		return withPage(d, fmt.Sprintf("/Shading << /Sh0 << /ShadingType 2 /ColorSpace /DeviceGray /Coords [0 0 1 1] /Function %d 0 R >> >>", first), "")
	case "pattern":
		d := &doc{}
		first := chain(d, depth, func(n int) string {
			return stream(fmt.Sprintf("/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 1 1] /XStep 1 /YStep 1 /Resources << /Pattern << /A %d 0 R /B %d 0 R >> >>", n, n), "0 0 1 1 re f")
		}, stream("/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 1 1] /XStep 1 /YStep 1 /Resources << >>", "0 0 1 1 re f"))
		return withPage(d, fmt.Sprintf("/Pattern << /P0 %d 0 R >>", first), "")
	case "xobject":
		d := &doc{}
		first := chain(d, depth, func(n int) string {
			return stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /A %d 0 R /B %d 0 R >> >>", n, n), "/A Do /B Do")
		}, stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", "0 0 1 1 re f"))
		return withPage(d, fmt.Sprintf("/XObject << /X0 %d 0 R >>", first), "")
	case "acroform":
		d := &doc{}
		first := chain(d, depth, func(n int) string { return fmt.Sprintf("<< /T (f) /Kids [%d 0 R %d 0 R] >>", n, n) },
			"<< /FT /Tx /T (x) /V (v) /DA (/Helv 0 Tf 0 g) >>")
		return withPage(d, "", fmt.Sprintf("/AcroForm << /Fields [%d 0 R] /DA (/Helv 0 Tf 0 g) >>", first))
	}
	panic("hostilepdf: unknown kind " + kind)
}

// withPage appends a catalog, page tree and page to d's objects.
func withPage(d *doc, resources, catalogExtra string) []byte {
	catalog := d.add("")
	pages := d.add("")
	content := d.add(stream("", "0 0 m 1 1 l S"))
	page := d.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] /Contents %d 0 R /Resources << %s >> >>", pages, content, resources))
	d.set(pages, fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", page))
	d.set(catalog, fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R %s >>", pages, catalogExtra))
	return d.bytes(catalog)
}

func patchCatalog(d *doc, catalog int, extra string) []byte {
	body := d.objs[catalog-1]
	d.set(catalog, strings.TrimSuffix(body, ">>")+extra+" >>")
	return d.bytes(catalog)
}

// ManyStrings returns a PDF with n one-character strings in one array on one line.
func ManyStrings(n int) []byte {
	return withPage(&doc{}, "", "/Junk ["+strings.Repeat("(a)", n)+"]")
}
