package pdf

import (
	"bytes"
	"strconv"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// canvas accumulates one content stream in display coordinates and remembers which images it used.
type canvas struct {
	b      bytes.Buffer
	prefix string // resource-name prefix, unique within the page's resources
	images map[string]types.IndirectRef
}

func newCanvas(prefix string) *canvas {
	return &canvas{prefix: prefix, images: map[string]types.IndirectRef{}}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

func (c *canvas) fontName(f face) string {
	if f == bold {
		return c.prefix + "F2"
	}
	return c.prefix + "F1"
}

// text draws a plain string (UTF-8, encoded here) with its baseline at (x, y).
func (c *canvas) text(x, y float64, f face, size float64, s string) {
	c.encText(x, y, f, size, toWinAnsi(s))
}

// encText draws an already encoded string; callers that measured it pass it on unchanged.
func (c *canvas) encText(x, y float64, f face, size float64, enc string) {
	c.b.WriteString("BT /" + c.fontName(f) + " " + num(size) + " Tf " + num(x) + " " + num(y) + " Td " + pdfLiteral(enc) + " Tj ET\n")
}

// gray sets the fill and stroke gray level (0 black, 1 white).
func (c *canvas) gray(g float64) {
	c.b.WriteString(num(g) + " g " + num(g) + " G\n")
}

func (c *canvas) line(x1, y1, x2, y2, width float64) {
	c.b.WriteString(num(width) + " w " + num(x1) + " " + num(y1) + " m " + num(x2) + " " + num(y2) + " l S\n")
}

func (c *canvas) rect(x, y, w, h, width float64) {
	c.b.WriteString(num(width) + " w " + num(x) + " " + num(y) + " " + num(w) + " " + num(h) + " re S\n")
}

// image paints the image XObject ref into the rectangle (x, y, w, h).
func (c *canvas) image(key string, ref types.IndirectRef, x, y, w, h float64) {
	name := c.prefix + "Im" + key
	c.images[name] = ref
	c.b.WriteString("q " + num(w) + " 0 0 " + num(h) + " " + num(x) + " " + num(y) + " cm /" + name + " Do Q\n")
}

// fontRefs are the two core-font dictionaries, created once per document.
type fontRefs struct{ regular, bold types.IndirectRef }

// resources returns the entries this canvas needs in the page's /Font and /XObject dictionaries.
func (c *canvas) resources(fr fontRefs) (fonts, xobjects types.Dict) {
	fonts = types.Dict{c.fontName(regular): fr.regular, c.fontName(bold): fr.bold}
	xobjects = types.Dict{}
	for name, ref := range c.images {
		xobjects[name] = ref
	}
	return fonts, xobjects
}
