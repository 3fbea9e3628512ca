package signing

import (
	"context"
	"fmt"

	"signet/pdf"
)

// PDFProcessor parses untrusted PDFs on the Service's behalf; in the server it is a pool of capped child
// processes (pdf/worker), so a hostile file costs a bounded time and no lasting CPU.
type PDFProcessor interface {
	Inspect(ctx context.Context, data []byte, lim pdf.Limits) (pdf.Info, error)
	FinalizeAndSeal(ctx context.Context, original []byte, signers []pdf.Signer, audit pdf.Audit) ([]byte, error)
}

// inProcess parses in this process, for a Service built without a pool.
type inProcess struct{ sealer *pdf.Sealer }

func (p inProcess) Inspect(ctx context.Context, data []byte, lim pdf.Limits) (pdf.Info, error) {
	return pdf.Inspect(ctx, data, lim)
}

func (p inProcess) FinalizeAndSeal(ctx context.Context, original []byte, signers []pdf.Signer, audit pdf.Audit) ([]byte, error) {
	out, err := pdf.Finalize(ctx, original, signers, audit)
	if err != nil {
		return nil, err
	}
	if p.sealer == nil {
		return nil, fmt.Errorf("signing: no sealer configured")
	}
	return p.sealer.Seal(ctx, out)
}
