package hostilepdf

import (
	"context"
	"testing"
	"time"

	"signet/pdf"
)

// TestShallowFilesAreValid proves the generators write well-formed PDFs: at a small depth pdfcpu accepts every
// kind, so a refusal of a deep one is about its cost, not a syntax slip.
func TestShallowFilesAreValid(t *testing.T) {
	for _, k := range Kinds {
		if _, err := pdf.Inspect(context.Background(), DAG(k, 3), pdf.Limits{Timeout: 10 * time.Second}); err != nil {
			t.Errorf("%s at depth 3: %v", k, err)
		}
	}
	if _, err := pdf.Inspect(context.Background(), ManyStrings(100), pdf.Limits{Timeout: 10 * time.Second}); err != nil {
		t.Errorf("100 strings: %v", err)
	}
	if _, err := pdf.Inspect(context.Background(), FlateBomb(0), pdf.Limits{Timeout: 10 * time.Second}); err != nil {
		t.Errorf("an xref stream with nothing after the entries: %v", err)
	}
}

// TestDAGCostDoubles shows that the generators bite: two more levels cost pdfcpu clearly more work.
func TestDAGCostDoubles(t *testing.T) {
	for _, k := range []string{"nametree", "structtree", "function", "pattern"} {
		var ru1, ru2 [2]float64
		for i, d := range []int{8, 14} {
			start := cpuNow()
			if _, err := pdf.Inspect(context.Background(), DAG(k, d), pdf.Limits{Timeout: 10 * time.Second}); err != nil {
				t.Fatalf("%s at depth %d: %v", k, d, err)
			}
			ru1[i], ru2[i] = start, cpuNow()
		}
		shallow, deep := ru2[0]-ru1[0], ru2[1]-ru1[1]
		if deep < 8*shallow {
			t.Errorf("%s: depth 14 cost %.3fs of CPU, depth 8 %.3fs: the graph is not walked as a tree", k, deep, shallow)
		}
	}
}
