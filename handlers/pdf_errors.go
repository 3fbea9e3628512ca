package handlers

import (
	"errors"
	"mime"
	"net/http"
	"strings"

	"signet/pdf"
)

func isPDFError(err error) bool {
	for _, e := range []error{pdf.ErrEmpty, pdf.ErrNotPDF, pdf.ErrEncrypted, pdf.ErrSigned, pdf.ErrTooComplex, pdf.ErrInvalid, pdf.ErrTooLarge, pdf.ErrBusy, errNoFile} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// uploadStatus is the status code for a refused upload.
func uploadStatus(err error) int {
	switch {
	case errors.Is(err, pdf.ErrTooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, pdf.ErrNotPDF):
		return http.StatusUnsupportedMediaType
	case errors.Is(err, pdf.ErrBusy):
		return http.StatusServiceUnavailable
	}
	return http.StatusUnprocessableEntity
}

// pdfMessage is the part of a PDF error a person should read.
func pdfMessage(err error) string {
	for _, e := range []error{pdf.ErrEmpty, pdf.ErrNotPDF, pdf.ErrEncrypted, pdf.ErrSigned, pdf.ErrTooComplex, pdf.ErrInvalid, pdf.ErrTooLarge, pdf.ErrBusy, errNoFile} {
		if errors.Is(err, e) {
			msg := e.Error()
			if errors.Is(err, pdf.ErrTooLarge) {
				// keep the limit the wrapping error adds, but not the "pdf: inspect: " plumbing before it
				msg = err.Error()
				if i := strings.Index(msg, pdf.ErrTooLarge.Error()); i > 0 {
					msg = msg[i:]
				}
			}
			return strings.ToUpper(msg[:1]) + msg[1:] + endDot(msg)
		}
	}
	return err.Error()
}

func endDot(s string) string {
	if strings.HasSuffix(s, ".") || strings.HasSuffix(s, ")") {
		return ""
	}
	return "."
}

func contentDisposition(name string, attachment bool) string {
	kind := "inline"
	if attachment {
		kind = "attachment"
	}
	return mime.FormatMediaType(kind, map[string]string{"filename": name})
}
