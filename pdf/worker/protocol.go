package worker

import (
	"bytes"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"io"

	"signet/pdf"
)

// maxFrame bounds one message either way, so a confused peer cannot make the other allocate without limit.
const maxFrame = 1 << 30

// Operations the child performs.
const (
	opInspect      = "inspect"
	opFinalizeSeal = "finalize_seal"
	opSeal         = "seal"
	opPing         = "ping"
)

// SealIdentity tells the child where the seal key and certificate are and what the seal says besides them.
type SealIdentity struct {
	Dir, CommonName, Location, ContactInfo string
}

// request is one job for the child; only the fields of its Op are set.
type request struct {
	Op      string
	PDF     []byte
	Limits  pdf.Limits
	Signers []pdf.Signer
	Audit   pdf.Audit
	Seal    SealIdentity
}

// response is the child's answer to one request.
type response struct {
	Info   pdf.Info
	PDF    []byte
	Err    *wireError
	Retire bool // the child has used most of its CPU allowance: start a fresh one
}

// wireError carries a failure across the pipe: its kind restores the sentinel, the text stays for logs.
type wireError struct {
	Kind    string
	Message string
}

// sentinels are the pdf errors whose identity survives the trip, by kind.
var sentinels = map[string]error{
	"empty": pdf.ErrEmpty, "not_pdf": pdf.ErrNotPDF, "encrypted": pdf.ErrEncrypted,
	"invalid": pdf.ErrInvalid, "too_large": pdf.ErrTooLarge, "not_sealed": pdf.ErrNotSealed,
	"signed": pdf.ErrSigned, "too_complex": pdf.ErrTooComplex,
}

func toWire(err error) *wireError {
	if err == nil {
		return nil
	}
	for kind, s := range sentinels {
		if kind != "invalid" && errors.Is(err, s) {
			return &wireError{Kind: kind, Message: err.Error()}
		}
	}
	if errors.Is(err, pdf.ErrInvalid) {
		return &wireError{Kind: "invalid", Message: err.Error()}
	}
	return &wireError{Kind: "other", Message: err.Error()}
}

// RemoteError is a failure the child reported; errors.Is sees the pdf sentinel it wrapped in the child.
type RemoteError struct {
	Kind    string
	Message string
}

func (e *RemoteError) Error() string { return e.Message }

func (e *RemoteError) Unwrap() error { return sentinels[e.Kind] }

func (w *wireError) err() error {
	if w == nil {
		return nil
	}
	return &RemoteError{Kind: w.Kind, Message: w.Message}
}

// writeFrame sends v gob-encoded after its length as 4 big-endian bytes.
func writeFrame(w io.Writer, v any) error {
	var buf bytes.Buffer
	buf.Write(make([]byte, 4))
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	n := buf.Len() - 4
	if n > maxFrame {
		return fmt.Errorf("encode: a frame of %d bytes is over the limit", n)
	}
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b, uint32(n))
	_, err := w.Write(b)
	return err
}

// readFrame reads one frame written by writeFrame into v.
func readFrame(r io.Reader, v any) error {
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > maxFrame {
		return fmt.Errorf("decode: a frame of %d bytes is over the limit", n)
	}
	body := make([]byte, n)
	if _, err := io.ReadFull(r, body); err != nil {
		return fmt.Errorf("decode: short frame: %w", err)
	}
	if err := gob.NewDecoder(bytes.NewReader(body)).Decode(v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}
