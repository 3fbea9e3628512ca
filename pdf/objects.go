package pdf

import (
	"context"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// reserveNumbers raises the trailer /Size above every object number the document defines or merely references:
// a reference to a missing object (say a transparency group's /CS) would otherwise point at whatever we add under
// that number, and relaxed-mode repairs can insert objects beyond the old /Size.
func reserveNumbers(xt *model.XRefTable) {
	highest := 0
	for nr, e := range xt.Table {
		highest = max(highest, nr)
		if e != nil && !e.Free {
			highest = max(highest, highestRef(e.Object))
		}
	}
	for _, r := range []*types.IndirectRef{xt.Root, xt.Info, xt.Encrypt} {
		if r != nil {
			highest = max(highest, r.ObjectNumber.Value())
		}
	}
	if xt.Size == nil || *xt.Size <= highest {
		size := highest + 1
		xt.Size = &size
	}
}

// highestRef is the largest object number o refers to, looking into dictionaries, arrays and stream dictionaries.
func highestRef(o types.Object) int {
	n := 0
	switch o := o.(type) {
	case types.IndirectRef:
		n = o.ObjectNumber.Value()
	case *types.IndirectRef:
		if o != nil {
			n = o.ObjectNumber.Value()
		}
	case types.Dict:
		for _, v := range o {
			n = max(n, highestRef(v))
		}
	case types.StreamDict:
		n = highestRef(o.Dict)
	case types.Array:
		for _, v := range o {
			n = max(n, highestRef(v))
		}
	}
	return n
}

// newObject adds obj under the next number above /Size. pdfcpu's own IndRefForNewObject first recycles numbers
// from the free list, and a freed number may still be referenced by a careless producer.
func newObject(xt *model.XRefTable, obj types.Object) types.IndirectRef {
	e := model.NewXRefTableEntryGen0(obj)
	e.RefCount = 1
	nr := xt.InsertNew(*e)
	return *types.NewIndirectRef(nr, 0)
}

// decodeLazy parses the objects pdfcpu left packed in object streams: its writer copies such an object's bytes
// without following its references, so whatever only it points to (an ICC profile, an appearance) would be lost.
func decodeLazy(ctx context.Context, xt *model.XRefTable) error {
	for nr, e := range xt.Table {
		if e == nil || e.Free {
			continue
		}
		l, ok := e.Object.(types.LazyObjectStreamObject)
		if !ok {
			continue
		}
		o, err := l.DecodedObject(ctx)
		if err != nil {
			return fmt.Errorf("object %d: %w", nr, err)
		}
		e.Object = o
	}
	return nil
}
