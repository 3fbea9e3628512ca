package pdf

// flow lays text top-down across as many new pages as it needs; the audit trail and "Signatures" pages use it.
type flow struct {
	w, h, margin float64
	pages        []*canvas
	c            *canvas
	y            float64 // top of the next line, in display coordinates
	header       func(f *flow, first bool)
	repeat       func(f *flow) // re-drawn after the header on continuation pages, e.g. a table header
}

const (
	flowMargin   = 48.0
	footerSpace  = 22.0
	maxCellLines = 20 // a hostile 10 kB user agent must not push a row off the page
)

func newFlow(w, h float64, header func(f *flow, first bool)) *flow {
	f := &flow{w: w, h: h, margin: flowMargin, header: header}
	f.newPage()
	return f
}

func (f *flow) newPage() {
	f.c = newCanvas("Sgn")
	f.pages = append(f.pages, f.c)
	f.y = f.h - f.margin
	if f.header != nil {
		f.header(f, len(f.pages) == 1)
	}
	if f.repeat != nil && len(f.pages) > 1 {
		f.repeat(f)
	}
}

func (f *flow) contentW() float64 { return f.w - 2*f.margin }

// need starts a new page unless hgt more points fit above the footer.
func (f *flow) need(hgt float64) {
	if f.y-hgt < f.margin+footerSpace {
		f.newPage()
	}
}

func (f *flow) gap(d float64) { f.y -= d }

func (f *flow) heading(s string, size float64) {
	f.need(size * 1.5)
	f.c.gray(0)
	f.c.text(f.margin, f.y-size, bold, size, s)
	f.y -= size * 1.5
}

// para writes s wrapped to the content width.
func (f *flow) para(fc face, size, gray float64, s string) {
	f.row(size, gray, []cell{{x: 0, w: f.contentW(), f: fc, s: s}})
}

// cell is one column of a row: x offset from the left margin, width, face and text.
type cell struct {
	x, w float64
	f    face
	s    string
}

// row draws cells side by side, each wrapped within its column; the row never splits across pages.
func (f *flow) row(size, gray float64, cells []cell) {
	wrapped := make([][]string, len(cells))
	n := 1
	for i, c := range cells {
		lines := c.f.wrap(toWinAnsi(c.s), size, c.w)
		if len(lines) > maxCellLines {
			lines = append(lines[:maxCellLines-1], c.f.fit(lines[maxCellLines-1]+" \x85", size, c.w))
		}
		wrapped[i] = lines
		n = max(n, len(lines))
	}
	lead := size * 1.3
	f.need(float64(n) * lead)
	f.c.gray(gray)
	for i, c := range cells {
		for j, l := range wrapped[i] {
			f.c.encText(f.margin+c.x, f.y-size-float64(j)*lead, c.f, size, l)
		}
	}
	f.y -= float64(n) * lead
}

// rule draws a thin horizontal line across the content width at the cursor.
func (f *flow) rule(gray float64) {
	f.c.gray(gray)
	f.c.line(f.margin, f.y, f.w-f.margin, f.y, 0.5)
}
