package pdf

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Drawn signatures come from a browser canvas; anything bigger is not a signature and could be a decompression bomb.
const (
	maxSignatureSide   = 4096
	maxSignaturePixels = 8 << 20
)

// raster is a trimmed signature: non-premultiplied RGB plus an optional alpha plane, ready for an image XObject.
type raster struct {
	rgb, alpha []byte
	w, h       int
}

// CheckSignatureImage reports whether b is a PNG that Finalize can stamp; call it when the signer submits.
func CheckSignatureImage(b []byte) error {
	if _, err := drawnRaster(b); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// drawnRaster decodes a drawn-signature PNG once and trims the empty canvas around the ink.
func drawnRaster(b []byte) (*raster, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("signature image: %w", err)
	}
	if format != "png" {
		return nil, fmt.Errorf("signature image: %s is not supported, send a PNG", format)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxSignatureSide || cfg.Height > maxSignatureSide || cfg.Width*cfg.Height > maxSignaturePixels {
		return nil, fmt.Errorf("signature image: %d×%d pixels is out of range", cfg.Width, cfg.Height)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("signature image: %w", err)
	}
	nrgba, ok := img.(*image.NRGBA)
	if !ok {
		nrgba = toNRGBA(img)
	}
	return trimNRGBA(nrgba)
}

// toNRGBA is the slow path for palette, gray and premultiplied PNGs; signature_pad emits NRGBA.
func toNRGBA(img image.Image) *image.NRGBA {
	b := img.Bounds()
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			out.SetNRGBA(x-b.Min.X, y-b.Min.Y, color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA))
		}
	}
	return out
}

// inked treats transparent and near-white pixels as paper, so both transparent and white-background canvases trim.
func inked(r, g, b, a uint8) bool {
	return a >= 16 && !(r >= 235 && g >= 235 && b >= 235)
}

func trimNRGBA(img *image.NRGBA) (*raster, error) {
	bnd := img.Bounds()
	minX, minY, maxX, maxY := bnd.Max.X, bnd.Max.Y, bnd.Min.X-1, bnd.Min.Y-1
	for y := bnd.Min.Y; y < bnd.Max.Y; y++ {
		row := img.Pix[(y-bnd.Min.Y)*img.Stride:]
		for x := bnd.Min.X; x < bnd.Max.X; x++ {
			p := row[(x-bnd.Min.X)*4:]
			if inked(p[0], p[1], p[2], p[3]) {
				minX, maxX = min(minX, x), max(maxX, x)
				minY, maxY = min(minY, y), max(maxY, y)
			}
		}
	}
	if maxX < minX {
		return nil, errors.New("signature image: it is blank")
	}
	const pad = 2
	r := image.Rect(minX-pad, minY-pad, maxX+pad+1, maxY+pad+1).Intersect(bnd)
	out := &raster{w: r.Dx(), h: r.Dy()}
	out.rgb = make([]byte, 0, out.w*out.h*3)
	out.alpha = make([]byte, 0, out.w*out.h)
	opaque := true
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[(y-bnd.Min.Y)*img.Stride:]
		for x := r.Min.X; x < r.Max.X; x++ {
			p := row[(x-bnd.Min.X)*4:]
			out.rgb = append(out.rgb, p[0], p[1], p[2])
			out.alpha = append(out.alpha, p[3])
			opaque = opaque && p[3] == 255
		}
	}
	if opaque {
		out.alpha = nil
	}
	return out, nil
}

// maskRaster colours an alpha mask (the typed signature) with ink.
func maskRaster(m *image.Alpha, ink color.NRGBA) *raster {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out := &raster{w: w, h: h, rgb: make([]byte, 0, w*h*3), alpha: make([]byte, 0, w*h)}
	for y := 0; y < h; y++ {
		out.alpha = append(out.alpha, m.Pix[y*m.Stride:y*m.Stride+w]...)
	}
	for i := 0; i < w*h; i++ {
		out.rgb = append(out.rgb, ink.R, ink.G, ink.B)
	}
	return out
}

// xobject writes r as one Flate image with a soft mask; every use on every page references this one object (bench fact 2).
// Signature pixels are flat colour on transparency, so the fastest deflate level costs little in size.
func (r *raster) xobject(xt *model.XRefTable) (types.IndirectRef, error) {
	img := types.Dict{
		"Type":             types.Name("XObject"),
		"Subtype":          types.Name("Image"),
		"Width":            types.Integer(r.w),
		"Height":           types.Integer(r.h),
		"BitsPerComponent": types.Integer(8),
		"ColorSpace":       types.Name("DeviceRGB"),
		"Interpolate":      types.Boolean(true),
	}
	if r.alpha != nil {
		mask, err := addStream(xt, types.Dict{
			"Type":             types.Name("XObject"),
			"Subtype":          types.Name("Image"),
			"Width":            types.Integer(r.w),
			"Height":           types.Integer(r.h),
			"BitsPerComponent": types.Integer(8),
			"ColorSpace":       types.Name("DeviceGray"),
		}, r.alpha, zlib.BestSpeed)
		if err != nil {
			return types.IndirectRef{}, fmt.Errorf("image soft mask: %w", err)
		}
		img["SMask"] = mask
	}
	ref, err := addStream(xt, img, r.rgb, zlib.BestSpeed)
	if err != nil {
		return types.IndirectRef{}, fmt.Errorf("image xobject: %w", err)
	}
	return ref, nil
}
