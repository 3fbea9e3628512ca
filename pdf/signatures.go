package pdf

import (
	"fmt"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// refuseSigned refuses a PDF that already carries a digital signature or document timestamp: finalisation
// rewrites the file, which would silently break those signatures (and pdfcpu's writer fails on some of them).
func refuseSigned(xt *model.XRefTable) error {
	for nr, e := range xt.Table {
		if e == nil || e.Free {
			continue
		}
		if d, ok := e.Object.(types.Dict); ok && isSignatureDict(d) {
			return fmt.Errorf("%w (object %d)", ErrSigned, nr)
		}
	}
	return nil
}
