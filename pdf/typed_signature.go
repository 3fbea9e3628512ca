package pdf

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Dancing Script (SIL OFL 1.1) gives typed signatures a handwritten look; see fonts/README.md.
//
//go:embed fonts/DancingScript-Regular.ttf
var handwritingTTF []byte

var handwriting = sync.OnceValues(func() (*opentype.Font, error) { return opentype.Parse(handwritingTTF) })

const (
	typedPixels   = 96 // glyph size in pixels; stamped at ~40 pt this is ~170 dpi
	maxTypedRunes = 64
)

// inkColor is a dark blue, the colour people expect of a pen signature.
var inkColor = color.NRGBA{R: 20, G: 40, B: 120, A: 255}

// RenderTypedSignature draws name in the handwriting font as a transparent PNG, e.g. for a preview next to the signing form.
func RenderTypedSignature(name string) ([]byte, error) {
	m, err := typedMask(name)
	if err != nil {
		return nil, fmt.Errorf("pdf: %w", err)
	}
	img := image.NewNRGBA(m.Rect)
	for i, a := range m.Pix {
		c := inkColor
		c.A = a
		img.Pix[i*4], img.Pix[i*4+1], img.Pix[i*4+2], img.Pix[i*4+3] = c.R, c.G, c.B, c.A
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, fmt.Errorf("pdf: typed signature: png: %w", err)
	}
	return b.Bytes(), nil
}

// typedMask rasterises name as coverage only; callers colour it, which saves a PNG round trip inside Finalize.
func typedMask(name string) (*image.Alpha, error) {
	f, err := handwriting()
	if err != nil {
		return nil, fmt.Errorf("typed signature: font: %w", err)
	}
	name = printable(f, name)
	if name == "" {
		return nil, errors.New("typed signature: the name is empty")
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: typedPixels, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("typed signature: face: %w", err)
	}
	defer face.Close()
	d := &font.Drawer{Face: face, Src: image.Opaque}
	bounds, _ := d.BoundString(name)
	const pad = 4
	minX, minY := bounds.Min.X.Floor()-pad, bounds.Min.Y.Floor()-pad
	w, h := bounds.Max.X.Ceil()+pad-minX, bounds.Max.Y.Ceil()+pad-minY
	if w <= 2*pad || h <= 2*pad {
		return nil, errors.New("typed signature: nothing to draw")
	}
	img := image.NewAlpha(image.Rect(0, 0, w, h))
	d.Dst = img
	d.Dot = fixed.P(-minX, -minY)
	d.DrawString(name)
	return img, nil
}

// printable drops control characters, trims and caps the name, and swaps characters the font lacks for '?', so no tofu boxes appear.
func printable(f *sfnt.Font, name string) string {
	name = strings.Map(func(r rune) rune {
		if unicode.IsPrint(r) || unicode.IsSpace(r) {
			return r
		}
		return -1
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) > maxTypedRunes {
		name = string([]rune(name)[:maxTypedRunes])
	}
	var buf sfnt.Buffer
	var b strings.Builder
	for _, r := range name {
		if gi, err := f.GlyphIndex(&buf, r); r != ' ' && (err != nil || gi == 0) {
			r = '?'
		}
		b.WriteRune(r)
	}
	return b.String()
}
