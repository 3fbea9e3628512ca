package pdf

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
)

// finalizeSized finalizes a one-page w×h PDF and checks the output reopens with every added page a sensible size.
func finalizeSized(t *testing.T, w, h float64, signers []Signer) []byte {
	t.Helper()
	in := sizedPDF(w, h)
	out, err := Finalize(context.Background(), in, signers, auditFor(in, 8))
	if err != nil {
		t.Errorf("%g×%g: Finalize: %v", w, h, err)
		return nil
	}
	pctx, err := load(context.Background(), out, newConf())
	if err != nil {
		t.Errorf("%g×%g: output does not reopen: %v", w, h, err)
		return nil
	}
	dims, err := pctx.XRefTable.PageDims()
	if err != nil || len(dims) < 2 {
		t.Errorf("%g×%g: %d pages, %v; want the original and an audit page", w, h, len(dims), err)
		return nil
	}
	if d := dims[0]; d.Width != w || d.Height != h {
		t.Errorf("%g×%g: the original page became %g×%g", w, h, d.Width, d.Height)
	}
	for i, d := range dims[1:] {
		if d.Width < minAddedPageW || d.Height < d.Width {
			t.Errorf("%g×%g: added page %d is %g×%g", w, h, i+2, d.Width, d.Height)
		}
	}
	return out
}

// Every page width from 100 to 2000 pt at A4 height (every 7th in -short mode), and a coarser sweep at other heights, with the 400–412 band
// (the audit page's event column used to go negative there) at step 1 for each height.
func TestFinalizeAnyPageSize(t *testing.T) {
	// Two boxes (two grid columns where they fit) sharing one small typed image keep the 2,500 runs quick.
	signers := []Signer{
		{Name: "Jane Doe", Email: "jane@example.com", TypedName: "J D", SignedAt: signedAt},
		{Name: "Richard Roe", Email: "richard@example.org", TypedName: "J D", SignedAt: signedAt},
	}
	type size struct{ w, h float64 }
	var sizes []size
	step := 1
	if testing.Short() {
		step = 7
	}
	for w := 100; w <= 2000; w += step {
		sizes = append(sizes, size{float64(w), 842})
	}
	for _, h := range []float64{100, 300, 600, 1700, 3000} {
		for w := 100; w <= 2000; w += 37 {
			sizes = append(sizes, size{float64(w), h})
		}
		for w := 400; w <= 412; w++ {
			sizes = append(sizes, size{float64(w), h})
		}
	}
	work := make(chan size)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				finalizeSized(t, s.w, s.h, signers)
			}
		}()
	}
	for _, s := range sizes {
		work <- s
	}
	close(work)
	wg.Wait()
}

// Sizes around every layout threshold are sealed too, verified, and checked by qpdf; the stamp must be findable.
func TestSealAnyPageSize(t *testing.T) {
	sealer := newTestSealer(t)
	signers := corpusSigners(t)
	widths := []float64{100, 241, 242, 300, 399, 400, 401, 406, 412, 413, 539, 540, 595, 612, 1200, 1201, 2000}
	for _, h := range []float64{100, 327, 328, 842, 1700, 3000} {
		for _, w := range widths {
			t.Run(fmt.Sprintf("%gx%g", w, h), func(t *testing.T) {
				out := finalizeSized(t, w, h, signers)
				if out == nil {
					return
				}
				text, err := Text(out)
				if err != nil || !strings.Contains(text, "Signed by Jane Doe") || !strings.Contains(text, "Audit trail") {
					t.Fatalf("text %v: lacks the signature block or the audit trail", err)
				}
				sealed, err := sealer.Seal(context.Background(), out)
				if err != nil {
					t.Fatalf("Seal: %v", err)
				}
				if info, err := VerifySeal(sealed); err != nil || !info.Valid || !info.Certified {
					t.Fatalf("VerifySeal: %+v, %v", info, err)
				}
				qpdfClean(t, "sealed", sealed)
			})
		}
	}
}
