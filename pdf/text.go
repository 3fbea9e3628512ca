package pdf

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// Text returns the strings shown by Tj, TJ, ' and " in every page's content streams, one text object per line.
// It decodes WinAnsi only: good for finding stamped names and hashes, not a general text extractor.
func Text(data []byte) (s string, err error) {
	defer recoverInto(&err, "text")
	pctx, err := load(context.Background(), data, newConf())
	if err != nil {
		return "", fmt.Errorf("pdf: text: %w", err)
	}
	var out strings.Builder
	for p := 1; p <= pctx.PageCount; p++ {
		content, err := pageContent(pctx.XRefTable, p)
		if err != nil {
			return "", fmt.Errorf("pdf: text: page %d: %w", p, err)
		}
		extractText(content, &out)
		out.WriteByte('\n')
	}
	return out.String(), nil
}

// pageContent decodes all of a page's content streams, separated by newlines so tokens never merge across streams.
func pageContent(xt *model.XRefTable, pageNr int) ([]byte, error) {
	d, _, _, err := xt.PageDict(pageNr, false)
	if err != nil {
		return nil, err
	}
	o, found := d.Find("Contents")
	if !found || o == nil {
		return nil, nil
	}
	o, err = xt.Dereference(o)
	if err != nil {
		return nil, err
	}
	var refs []types.Object
	switch v := o.(type) {
	case types.StreamDict:
		refs = []types.Object{v}
	case types.Array:
		refs = v
	}
	var b []byte
	for _, r := range refs {
		var sd *types.StreamDict
		if v, ok := r.(types.StreamDict); ok {
			sd = &v
		} else if sd, _, err = xt.DereferenceStreamDict(r); err != nil {
			return nil, err
		}
		if sd == nil {
			continue
		}
		if err := sd.Decode(); err != nil {
			return nil, err
		}
		b = append(append(b, sd.Content...), '\n')
	}
	return b, nil
}

// extractText scans a content stream: strings are collected until the operator that shows them.
func extractText(c []byte, out *strings.Builder) {
	var pending []string
	sc := scanner{b: c}
	for {
		kind, tok := sc.next()
		switch kind {
		case tokEOF:
			return
		case tokString:
			pending = append(pending, fromWinAnsi(tok))
		case tokNumber:
			if v, err := strconv.ParseFloat(string(tok), 64); err == nil && v <= -200 && len(pending) > 0 && sc.depth > 0 {
				pending = append(pending, " ") // a wide negative kern inside TJ usually stands for a space
			}
		case tokOp:
			switch string(tok) {
			case "Tj", "TJ", "'", "\"":
				out.WriteString(strings.Join(pending, ""))
			case "ET", "T*", "Td", "TD", "Tm":
				if out.Len() > 0 && !strings.HasSuffix(out.String(), "\n") {
					out.WriteByte('\n')
				}
			case "ID":
				sc.skipInlineImage()
			}
			pending = pending[:0]
		}
	}
}
