package pdf

import (
	"context"
	"fmt"
)

// Validate runs pdfcpu's relaxed validation on data; the error wraps ErrEncrypted or ErrInvalid.
func Validate(data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("pdf: validate: %w", ErrEmpty)
	}
	if _, err := load(context.Background(), data, newConf()); err != nil {
		return fmt.Errorf("pdf: validate: %w", err)
	}
	return nil
}

// PageCount returns the number of pages of a valid PDF.
func PageCount(data []byte) (int, error) {
	if len(data) == 0 {
		return 0, fmt.Errorf("pdf: page count: %w", ErrEmpty)
	}
	pctx, err := load(context.Background(), data, newConf())
	if err != nil {
		return 0, fmt.Errorf("pdf: page count: %w", err)
	}
	return pctx.PageCount, nil
}
