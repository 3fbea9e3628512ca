package pdf

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

func TestRenderTypedSignature(t *testing.T) {
	b, err := RenderTypedSignature("Richard Roe")
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	if w < 3*h || h < 60 {
		t.Fatalf("a one-line name at 96 px should be wide and tall enough, got %d×%d", w, h)
	}
	var ink, clear int
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if _, _, _, a := img.At(x, y).RGBA(); a == 0 {
				clear++
			} else {
				ink++
			}
		}
	}
	if ink < w*h/50 || clear < w*h/2 {
		t.Fatalf("want transparent paper with ink: %d inked, %d clear pixels", ink, clear)
	}
	// It must also be a valid drawn signature, so previews and stamps agree.
	if err := CheckSignatureImage(b); err != nil {
		t.Fatalf("rendered PNG rejected: %v", err)
	}
}

func TestRenderTypedSignatureEdgeCases(t *testing.T) {
	if _, err := RenderTypedSignature("   "); err == nil {
		t.Fatal("blank name: want an error")
	}
	for _, name := range []string{"王", "Zoë Ångström-Łukasiewicz", string(make([]rune, 500)) + "x"} {
		if _, err := RenderTypedSignature(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
}

func TestCheckSignatureImage(t *testing.T) {
	enc := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	white := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for i := range white.Pix {
		white.Pix[i] = 255
	}
	inkOnWhite := image.NewRGBA(image.Rect(0, 0, 300, 100))
	for i := range inkOnWhite.Pix {
		inkOnWhite.Pix[i] = 255
	}
	inkOnWhite.Set(150, 50, color.Black)
	var jpg bytes.Buffer
	if err := jpeg.Encode(&jpg, inkOnWhite, nil); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"fixture", fixture(t, "sig.png"), true},
		{"ink on opaque white", enc(inkOnWhite), true},
		{"transparent", enc(image.NewNRGBA(image.Rect(0, 0, 300, 100))), false},
		{"white", enc(white), false},
		{"too wide", enc(image.NewGray(image.Rect(0, 0, 5000, 1))), false},
		{"jpeg", jpg.Bytes(), false},
		{"garbage", []byte("\x89PNG\r\n\x1a\nnope"), false},
	} {
		if err := CheckSignatureImage(tc.data); (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}

func TestTrimKeepsOnlyTheInk(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 600, 200))
	img.SetNRGBA(100, 50, color.NRGBA{0, 0, 128, 255})
	img.SetNRGBA(199, 59, color.NRGBA{0, 0, 128, 255})
	r, err := trimNRGBA(img)
	if err != nil {
		t.Fatal(err)
	}
	if r.w != 104 || r.h != 14 || len(r.rgb) != r.w*r.h*3 || len(r.alpha) != r.w*r.h {
		t.Fatalf("trimmed to %d×%d (rgb %d, alpha %d), want 104×14", r.w, r.h, len(r.rgb), len(r.alpha))
	}
}
