package pdf

import (
	"context"
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// referenceHeadroom bounds how far above the highest defined object a dangling reference still raises /Size:
// Finalize and Seal add a few thousand objects at most, so a reference beyond cannot collide, and a hostile
// "2000000000 0 R" must not make the cross-reference table (and every reader's copy of it) that long.
const referenceHeadroom = 1 << 16

// reserveNumbers raises the trailer /Size above every object number the document defines or references (within
// referenceHeadroom): a reference to a missing object, say a transparency group's /CS, would otherwise point at
// whatever we add under that number, and relaxed-mode repairs can insert objects beyond the old /Size.
func reserveNumbers(xt *model.XRefTable) {
	defined := 0
	for nr := range xt.Table {
		defined = max(defined, nr)
	}
	highest := defined
	consider := func(n int) {
		if n > highest && n <= defined+referenceHeadroom {
			highest = n
		}
	}
	for _, e := range xt.Table {
		if e != nil && !e.Free {
			walkRefs(e.Object, consider)
		}
	}
	for _, r := range []*types.IndirectRef{xt.Root, xt.Info, xt.Encrypt} {
		if r != nil {
			consider(r.ObjectNumber.Value())
		}
	}
	if xt.Size == nil || *xt.Size <= highest {
		size := highest + 1
		xt.Size = &size
	}
	// An empty free list makes pdfcpu's own additions (the writer's /Info) take new numbers too: a freed number
	// may still be referenced by a careless producer.
	if head, ok := xt.Table[0]; ok && head != nil && head.Free {
		var none int64
		head.Offset = &none
	}
}

// walkRefs calls f with the object number of every reference in o, looking into dictionaries, arrays and streams.
func walkRefs(o types.Object, f func(int)) {
	switch o := o.(type) {
	case types.IndirectRef:
		f(o.ObjectNumber.Value())
	case *types.IndirectRef:
		if o != nil {
			f(o.ObjectNumber.Value())
		}
	case types.Dict:
		for _, v := range o {
			walkRefs(v, f)
		}
	case types.StreamDict:
		walkRefs(o.Dict, f)
	case types.Array:
		for _, v := range o {
			walkRefs(v, f)
		}
	}
}

// newObject adds obj under the next number above /Size; pdfcpu's own IndRefForNewObject would first recycle
// numbers from the free list.
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
		if err := ctx.Err(); err != nil {
			return err
		}
		o, err := l.DecodedObject(ctx)
		if err != nil {
			return fmt.Errorf("object %d: %w", nr, err)
		}
		e.Object = o
	}
	return nil
}
