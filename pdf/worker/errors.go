package worker

import (
	"errors"
	"fmt"

	"signet/pdf"
)

// Kinds of pool failure, for errors.Is. A timeout or a crash is the document's doing (it also matches
// pdf.ErrInvalid: intake answers 422, finalisation stops retrying); ErrUnavailable is the server's and may pass.
var (
	ErrTimeout     = errors.New("processing the PDF took too long")
	ErrCrashed     = errors.New("the PDF processor stopped while reading the file")
	ErrUnavailable = errors.New("the PDF processor is unavailable")
)

// Error is a failed request to a child.
type Error struct {
	Op     string
	Kind   error // ErrTimeout, ErrCrashed or ErrUnavailable
	Pid    int
	Detail string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("pdf worker: %s: %v", e.Op, e.Kind)
	if e.Pid != 0 {
		msg += fmt.Sprintf(" (child %d)", e.Pid)
	}
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	return msg
}

func (e *Error) Unwrap() []error {
	if e.Kind == ErrUnavailable {
		return []error{e.Kind, pdf.ErrBusy}
	}
	return []error{e.Kind, pdf.ErrTooComplex}
}
