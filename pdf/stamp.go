package pdf

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Signer is one person whose signature is stamped into the final document.
type Signer struct {
	Name, Email string
	Image       []byte // PNG of a drawn signature; nil when typed
	TypedName   string // when typed: rendered in a handwriting-like font
	SignedAt    time.Time
}

// Signature-block geometry in points; at most two rows overlay the last page, more signers get a "Signatures" page.
const (
	blockMargin       = 36.0
	boxH              = 92.0
	boxGap            = 12.0
	rowGap            = 10.0
	minBoxW           = 170.0
	maxRowsOnLastPage = 2
)

// placed is a signer with its image XObject, created once however often it is drawn.
type placed struct {
	Signer
	key    string
	ref    types.IndirectRef
	iw, ih int
}

// embedSignatures turns every signer's drawn or typed signature into one image XObject, sharing identical images.
func embedSignatures(xt *model.XRefTable, signers []Signer) ([]placed, error) {
	made := map[[32]byte]placed{}
	out := make([]placed, 0, len(signers))
	for i, s := range signers {
		id := signatureID(s)
		p, ok := made[id]
		if !ok {
			r, err := signatureRaster(s)
			if err == nil {
				p.ref, err = r.xobject(xt)
			}
			if err != nil {
				return nil, fmt.Errorf("signer %d (%s): %w", i+1, s.Email, err)
			}
			p.key, p.iw, p.ih = strconv.Itoa(len(made)+1), r.w, r.h
			made[id] = p
		}
		p.Signer = s
		out = append(out, p)
	}
	return out, nil
}

// signatureID identifies identical signature images so each is embedded once.
func signatureID(s Signer) [32]byte {
	if len(s.Image) > 0 {
		return sha256.Sum256(s.Image)
	}
	return sha256.Sum256([]byte("typed\x00" + typedText(s)))
}

func signatureRaster(s Signer) (*raster, error) {
	if len(s.Image) > 0 {
		return drawnRaster(s.Image)
	}
	return typedRaster(typedText(s))
}

// typedRaster renders a typed signature straight to a raster, skipping the PNG round trip.
func typedRaster(name string) (*raster, error) {
	m, err := typedMask(name)
	if err != nil {
		return nil, err
	}
	return maskRaster(m, inkColor), nil
}

// typedText is what a typed signature shows: the typed name, else the signer's name.
func typedText(s Signer) string {
	if s.TypedName != "" {
		return s.TypedName
	}
	return s.Name
}

// gridCols says how many boxes fit across a content width (0: none fit).
func gridCols(avail float64) int {
	switch {
	case (avail-boxGap)/2 >= minBoxW:
		return 2
	case avail >= minBoxW:
		return 1
	}
	return 0
}

func gridRows(n, cols int) int { return (n + cols - 1) / cols }

// gridHeight is the height of rows rows of boxes.
func gridHeight(rows int) float64 { return float64(rows)*boxH + float64(rows-1)*rowGap }

// fitsOnPage reports whether all boxes fit in the bottom band of a page of display size w×h.
func fitsOnPage(w, h float64, n int) bool {
	cols := gridCols(w - 2*blockMargin)
	if cols == 0 {
		return false
	}
	rows := gridRows(n, cols)
	return rows <= maxRowsOnLastPage && gridHeight(rows)+2*blockMargin <= h/2
}

// drawGrid lays boxes left to right, top to bottom, between left and left+avail, the first row's top edge at top.
func drawGrid(c *canvas, left, avail, top float64, signers []placed) {
	cols := max(1, gridCols(avail))
	bw := (avail - float64(cols-1)*boxGap) / float64(cols)
	for i, s := range signers {
		col, row := i%cols, i/cols
		x := left + float64(col)*(bw+boxGap)
		y := top - float64(row+1)*boxH - float64(row)*rowGap
		drawBox(c, x, y, bw, s)
	}
}

// drawBox draws one signature box: the image above a thin line, then name, email and UTC time as Helvetica text.
func drawBox(c *canvas, x, y, bw float64, s placed) {
	const pad = 6.0
	c.gray(0.75)
	c.rect(x, y, bw, boxH, 0.5)
	lineY := y + 40
	c.gray(0.35)
	c.line(x+pad, lineY, x+bw-pad, lineY, 0.6)
	// Scale the image into the area above the line, keeping its aspect ratio.
	areaW, areaH := bw-2*pad, boxH-(lineY-y)-pad-2
	scale := min(areaW/float64(s.iw), areaH/float64(s.ih))
	iw, ih := float64(s.iw)*scale, float64(s.ih)*scale
	c.image(s.key, s.ref, x+pad, lineY+2, iw, ih)
	c.gray(0)
	textW := bw - 2*pad
	c.encText(x+pad, y+28, regular, 9, regular.fit(toWinAnsi("Signed by "+s.Name), 9, textW))
	c.gray(0.25)
	c.encText(x+pad, y+17, regular, 8, regular.fit(toWinAnsi(s.Email), 8, textW))
	c.encText(x+pad, y+7, regular, 8, regular.fit(toWinAnsi(utcStamp(s.SignedAt)), 8, textW))
}

// utcStamp formats t for humans and auditors alike.
func utcStamp(t time.Time) string {
	if t.IsZero() {
		return "\u2014" // never happened
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// stampLastPage overlays the signature grid at the bottom of the document's last page.
func stampLastPage(pctx *model.Context, signers []placed, fr fontRefs) error {
	xt := pctx.XRefTable
	pageDict, _, inh, err := xt.PageDict(pctx.PageCount, false)
	if err != nil {
		return fmt.Errorf("stamp: last page: %w", err)
	}
	g, err := pageGeom(inh)
	if err != nil {
		return fmt.Errorf("stamp: last page: %w", err)
	}
	c := newCanvas(freePrefix(xt, pageDict, inh.Resources))
	avail := g.w - 2*blockMargin
	drawGrid(c, blockMargin, avail, blockMargin+gridHeight(gridRows(len(signers), gridCols(avail))), signers)
	return overlayPage(pctx, pageDict, inh.Resources, g, c, fr)
}

// signaturePages lays the grid out on as many new "Signatures" pages as it needs.
func signaturePages(signers []placed, w, h float64, title string) []*canvas {
	f := newFlow(w, h, func(f *flow, first bool) {
		head := "Signatures"
		if !first {
			head = "Signatures (continued)"
		}
		f.heading(head, 16)
		if title != "" {
			f.para(regular, 9, 0.35, "Document: "+title)
		}
		f.gap(8)
	})
	cols := max(1, gridCols(f.contentW()))
	for i := 0; i < len(signers); i += cols {
		f.need(boxH + rowGap)
		drawGrid(f.c, f.margin, f.contentW(), f.y, signers[i:min(i+cols, len(signers))])
		f.y -= boxH + rowGap
	}
	return f.pages
}
