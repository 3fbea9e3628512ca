package pdf

import "errors"

// Typed errors let handlers map intake failures to clear 4xx messages with errors.Is.
var (
	ErrEmpty     = errors.New("the file is empty")
	ErrNotPDF    = errors.New("the file is not a PDF")
	ErrEncrypted = errors.New("the PDF is password-protected; upload an unencrypted copy")
	ErrInvalid   = errors.New("the PDF is damaged or cannot be read")
	// ErrTooComplex is a file whose check ran out of time or memory; it also matches ErrInvalid.
	ErrTooComplex = &complexError{}
	ErrTooLarge   = errors.New("the file is too large")
	ErrNotSealed  = errors.New("the PDF carries no digital seal")
	ErrSigned     = errors.New("the PDF is already digitally signed, and signing it here would invalidate those signatures; upload the document as it was before it was signed")
)

// complexError is ErrTooComplex: a refusal of its own for people, an invalid PDF for everything that classifies.
type complexError struct{}

func (*complexError) Error() string {
	return "checking the PDF took too long or needed too much memory, so it was refused; save it again (for example with \"Print to PDF\") and upload that copy"
}

func (*complexError) Unwrap() error { return ErrInvalid }
