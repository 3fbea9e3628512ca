package pdf

import (
	"context"
	"testing"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// New objects must not take a number the document refers to without defining it, above /Size or on the free list:
// the transparency group's /CS would otherwise become our font and the seal's output fail validation.
func TestFinalizeNeverReusesReferencedNumbers(t *testing.T) {
	in := danglingPDF()
	if _, err := Inspect(context.Background(), in, DefaultLimits()); err != nil {
		t.Fatalf("intake refuses the crafted PDF, so the test proves nothing: %v", err)
	}
	out, _ := finalizeOK(t, in, twoSigners(t), auditFor(in, 3), 1, "Dangling references", "Signed by Jane Doe")
	pctx, err := load(context.Background(), out, newConf())
	if err != nil {
		t.Fatal(err)
	}
	page, _, _, err := pctx.PageDict(1, false)
	if err != nil {
		t.Fatal(err)
	}
	group, err := pctx.DereferenceDict(page["Group"])
	if err != nil {
		t.Fatal(err)
	}
	for key, o := range map[string]types.Object{"group /CS": group["CS"], "/Thumb": page["Thumb"]} {
		ref, ok := o.(types.IndirectRef)
		if !ok {
			t.Fatalf("%s is %v, no longer the original reference", key, o)
		}
		if got, err := pctx.Dereference(ref); err != nil || got != nil {
			t.Errorf("%s (%v) now resolves to %v, %v: a new object took its number", key, ref, got, err)
		}
	}
	sealed, err := newTestSealer(t).Seal(context.Background(), out)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	if info, err := VerifySeal(sealed); err != nil || !info.Valid || !info.Certified {
		t.Fatalf("VerifySeal: %+v, %v", info, err)
	}
	qpdfClean(t, "sealed", sealed)
}
