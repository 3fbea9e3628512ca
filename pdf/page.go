package pdf

import (
	"errors"
	"fmt"
	"slices"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// geom is a page as the reader sees it: displayed size and the matrix from display coordinates to PDF user space.
type geom struct {
	w, h float64
	m    [6]float64
}

// pageGeom honours /Rotate and the crop box so stamps land upright at the visible bottom (bench fact 4).
func pageGeom(inh *model.InheritedPageAttrs) (geom, error) {
	box := inh.CropBox
	if box == nil {
		box = inh.MediaBox
	}
	// NaN and absurd sizes fail here too, so layout arithmetic never writes "NaN" into a content stream.
	sane := func(v float64) bool { return v > -1e6 && v < 1e6 }
	if box == nil || !(box.Width() > 0 && box.Height() > 0) || !sane(box.LL.X) || !sane(box.LL.Y) || !sane(box.UR.X) || !sane(box.UR.Y) {
		return geom{}, errors.New("page has no usable media box")
	}
	x0, y0, bw, bh := box.LL.X, box.LL.Y, box.Width(), box.Height()
	rot := ((inh.Rotate%360)+360)%360 + 45
	switch (rot / 90 * 90) % 360 {
	case 90:
		return geom{w: bh, h: bw, m: [6]float64{0, 1, -1, 0, x0 + bw, y0}}, nil
	case 180:
		return geom{w: bw, h: bh, m: [6]float64{-1, 0, 0, -1, x0 + bw, y0 + bh}}, nil
	case 270:
		return geom{w: bh, h: bw, m: [6]float64{0, -1, 1, 0, x0, y0 + bh}}, nil
	}
	return geom{w: bw, h: bh, m: [6]float64{1, 0, 0, 1, x0, y0}}, nil
}

// coreFonts adds Helvetica and Helvetica-Bold once; every stamped and appended page shares them.
func coreFonts(xt *model.XRefTable) fontRefs {
	mk := func(base string) types.IndirectRef {
		return newObject(xt, types.Dict{
			"Type":     types.Name("Font"),
			"Subtype":  types.Name("Type1"),
			"BaseFont": types.Name(base),
			"Encoding": types.Name("WinAnsiEncoding"),
		})
	}
	return fontRefs{regular: mk("Helvetica"), bold: mk("Helvetica-Bold")}
}

// appendPage adds a new unrotated page of size w×h at the end of the document.
func appendPage(pctx *model.Context, w, h float64, c *canvas, fr fontRefs) error {
	xt := pctx.XRefTable
	root, err := xt.Pages()
	if err != nil || root == nil {
		return fmt.Errorf("append page: page tree: %w", errors.Join(err, errors.New("missing root")))
	}
	rootDict, err := xt.DereferenceDict(*root)
	if err != nil || rootDict == nil {
		return fmt.Errorf("append page: page tree root: %w", errors.Join(err, errors.New("missing dict")))
	}
	contents, err := addContent(xt, c.b.Bytes())
	if err != nil {
		return fmt.Errorf("append page: content: %w", err)
	}
	fonts, xobjects := c.resources(fr)
	box := types.RectForDim(w, h).Array()
	// Explicit boxes, rotation and resources stop the new page inheriting anything from the root node.
	page := types.Dict{
		"Type":      types.Name("Page"),
		"Parent":    *root,
		"MediaBox":  box,
		"CropBox":   box,
		"Rotate":    types.Integer(0),
		"Resources": types.Dict{"Font": fonts, "XObject": xobjects},
		"Contents":  contents,
	}
	ref := newObject(xt, page)
	kids, err := xt.DereferenceArray(rootDict["Kids"])
	if err != nil {
		return fmt.Errorf("append page: kids: %w", err)
	}
	rootDict["Kids"] = append(slices.Clone(kids), ref)
	pctx.PageCount++
	rootDict["Count"] = types.Integer(pctx.PageCount)
	return nil
}

// overlayPage draws c on top of an existing page without decoding its content: the original streams are wrapped in q … Q.
func overlayPage(pctx *model.Context, pageDict types.Dict, inherited types.Dict, g geom, c *canvas, fr fontRefs) error {
	xt := pctx.XRefTable
	open, err := addContent(xt, []byte("q\n"))
	if err != nil {
		return fmt.Errorf("overlay: %w", err)
	}
	m := g.m
	body := fmt.Sprintf("\nQ\nq %s %s %s %s %s %s cm\n", num(m[0]), num(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]))
	stamp, err := addContent(xt, append(append([]byte(body), c.b.Bytes()...), "Q\n"...))
	if err != nil {
		return fmt.Errorf("overlay: %w", err)
	}
	contents := types.Array{open}
	if o, found := pageDict.Find("Contents"); found && o != nil {
		d, err := xt.Dereference(o)
		if err != nil {
			return fmt.Errorf("overlay: contents: %w", err)
		}
		switch d := d.(type) {
		case types.Array:
			contents = append(contents, d...)
		case types.StreamDict:
			contents = append(contents, o)
		}
	}
	pageDict["Contents"] = append(contents, stamp)
	fonts, xobjects := c.resources(fr)
	return mergeResources(xt, pageDict, inherited, fonts, xobjects)
}

// mergeResources gives the page its own copy of its resources plus ours, so shared resource dicts stay untouched.
func mergeResources(xt *model.XRefTable, pageDict, inherited types.Dict, fonts, xobjects types.Dict) error {
	base := inherited
	if o, found := pageDict.Find("Resources"); found && o != nil {
		d, err := xt.DereferenceDict(o)
		if err != nil {
			return fmt.Errorf("overlay: resources: %w", err)
		}
		base = d
	}
	res := types.Dict{}
	for k, v := range base {
		res[k] = v
	}
	for kind, add := range map[string]types.Dict{"Font": fonts, "XObject": xobjects} {
		sub := types.Dict{}
		if o, found := res.Find(kind); found && o != nil {
			d, err := xt.DereferenceDict(o)
			if err != nil {
				return fmt.Errorf("overlay: resources %s: %w", kind, err)
			}
			for k, v := range d {
				sub[k] = v
			}
		}
		for k, v := range add {
			sub[k] = v
		}
		res[kind] = sub
	}
	pageDict["Resources"] = res
	return nil
}

// freePrefix picks a resource-name prefix that no existing font or XObject on the page starts with.
func freePrefix(xt *model.XRefTable, pageDict, inherited types.Dict) string {
	used := map[string]bool{}
	res := inherited
	if o, found := pageDict.Find("Resources"); found && o != nil {
		if d, err := xt.DereferenceDict(o); err == nil {
			res = d
		}
	}
	for _, kind := range []string{"Font", "XObject"} {
		if o, found := res.Find(kind); found && o != nil {
			if d, err := xt.DereferenceDict(o); err == nil {
				for k := range d {
					used[k] = true
				}
			}
		}
	}
	for i := 0; ; i++ {
		p := "Sgn"
		if i > 0 {
			p = fmt.Sprintf("Sgn%d", i)
		}
		clash := false
		for k := range used {
			if len(k) >= len(p) && k[:len(p)] == p {
				clash = true
				break
			}
		}
		if !clash {
			return p
		}
	}
}
