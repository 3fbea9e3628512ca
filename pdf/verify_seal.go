package pdf

import (
	"bytes"
	"context"
	"fmt"
	"time"

	dpdf "github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/verify"
)

// SealInfo is what VerifySeal found about the last signature of a PDF (the seal on a Signet document).
type SealInfo struct {
	SignerName  string    // common name of the signing certificate
	SignedAt    time.Time // signing time claimed by the signer (/M); a timestamp token's time when one is embedded
	Reason      string
	Location    string
	ContactInfo string
	Fingerprint string // SHA-256 of the signing certificate, comparable with Sealer.Fingerprint
	Signatures  int    // signatures in the file; a Signet document has exactly one
	// Valid: every signature's digest and CMS signature check out and the last one covers the whole file.
	// It says nothing about trust: a self-signed seal is trusted by comparing Fingerprint.
	Valid bool
	// Modified: bytes were changed inside a signed range, or something (an incremental update) was appended.
	Modified bool
	// Certified: the catalog's /Perms /DocMDP names this signature and forbids any change (P 1).
	Certified bool
	Problem   string // why the seal is not valid, for logs and a verification page
}

// VerifySeal checks the signatures of a sealed PDF with pdfsign's verify package and reports whether the document
// was modified after sealing. An error means the bytes carry no readable seal; a broken seal is Valid == false.
// Untrusted bytes are welcome: they pass pdfcpu's parser, with the upload limits, before pdfsign sees them.
func VerifySeal(data []byte) (SealInfo, error) {
	if len(data) == 0 {
		return SealInfo{}, fmt.Errorf("pdf: verify seal: %w", ErrEmpty)
	}
	// digitorus/pdf, which pdfsign reads with, loops forever and allocates without bound on some malformed
	// objects (an array cut short by "endobj"); pdfcpu parses every object first and refuses those files.
	lim := DefaultLimits()
	ctx, cancel := context.WithTimeout(context.Background(), lim.Timeout)
	defer cancel()
	if _, err := load(ctx, data, intakeConf(lim.MaxBytes)); err != nil {
		return SealInfo{}, fmt.Errorf("pdf: verify seal: %w", err)
	}
	return verifySeal(data)
}

// verifySeal is VerifySeal without the pdfcpu gate, for bytes Seal has just written.
func verifySeal(data []byte) (info SealInfo, err error) {
	defer recoverInto(&err, "verify seal")
	rdr, err := dpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return SealInfo{}, fmt.Errorf("pdf: verify seal: %w: %w", ErrInvalid, err)
	}
	sigs := signatureDicts(rdr)
	if len(sigs) == 0 {
		return SealInfo{}, fmt.Errorf("pdf: verify seal: %w", ErrNotSealed)
	}
	resp, err := verify.VerifyWithOptions(bytes.NewReader(data), int64(len(data)), verify.DefaultVerifyOptions())
	if err != nil {
		return SealInfo{}, fmt.Errorf("pdf: verify seal: %w: %w", ErrNotSealed, err)
	}

	last := sigs[0]
	for _, s := range sigs[1:] {
		if s.end() > last.end() {
			last = s
		}
	}
	info = SealInfo{Signatures: len(sigs), Certified: isCertifiedBy(rdr, last), Valid: true}
	fail := func(modified bool, format string, args ...any) {
		info.Valid, info.Modified = false, info.Modified || modified
		if info.Problem == "" {
			info.Problem = fmt.Sprintf(format, args...)
		}
	}
	// verify walks the same objects in the same order but drops a signature whose CMS does not parse.
	if len(resp.Signers) != len(sigs) {
		fail(true, "%d of %d signatures could not be read", len(sigs)-len(resp.Signers), len(sigs))
	}
	for i, s := range resp.Signers {
		if !s.ValidSignature {
			fail(true, "the document was changed after it was signed (signature %d does not match its content)", i+1)
		}
		if i == indexOf(sigs, last) && len(resp.Signers) == len(sigs) {
			info.fill(s)
		}
	}
	if resp.Error != "" && info.Valid {
		fail(false, "%s", resp.Error)
	}
	switch br := last.byteRange; {
	case len(br) != 4 || br[0] != 0 || br[1] <= 0 || br[2] <= br[1] || br[2] > int64(len(data)) ||
		data[br[1]] != '<' || data[br[2]-1] != '>':
		fail(true, "the signature's byte range is malformed")
	case br[2]+br[3] < int64(len(data)):
		fail(true, "%d bytes were appended after the seal", int64(len(data))-br[2]-br[3])
	case br[2]+br[3] > int64(len(data)):
		fail(true, "the file is shorter than the sealed content")
	}
	return info, nil
}

// fill copies the signer's details; the first certificate is the signer's (pdfsign and Acrobat put it first).
func (info *SealInfo) fill(s verify.Signer) {
	info.Reason, info.Location, info.ContactInfo = s.Reason, s.Location, s.ContactInfo
	if len(s.Certificates) > 0 && s.Certificates[0].Certificate != nil {
		info.SignerName = s.Certificates[0].Certificate.Subject.CommonName
		info.Fingerprint = certFingerprint(s.Certificates[0].Certificate)
	}
	switch {
	case s.TimeStamp != nil && !s.TimeStamp.Time.IsZero():
		info.SignedAt = s.TimeStamp.Time
	case s.SignatureTime != nil:
		info.SignedAt = *s.SignatureTime
	}
}

// sigDict is one signature dictionary: its object number and /ByteRange.
type sigDict struct {
	obj       uint32
	byteRange []int64
}

func (s sigDict) end() int64 {
	if len(s.byteRange) != 4 {
		return -1
	}
	return s.byteRange[2] + s.byteRange[3]
}

// signatureDicts finds signature dictionaries the way pdfsign's verify does: every object whose /Filter is
// Adobe.PPKLite, in cross-reference order, so the two lists line up.
func signatureDicts(rdr *dpdf.Reader) []sigDict {
	var sigs []sigDict
	for _, x := range rdr.Xref() {
		p := x.Ptr()
		v := rdr.Resolve(p, p)
		if v.Key("Filter").Name() != "Adobe.PPKLite" {
			continue
		}
		s := sigDict{obj: p.GetID()}
		br := v.Key("ByteRange")
		for i := range br.Len() {
			s.byteRange = append(s.byteRange, br.Index(i).Int64())
		}
		sigs = append(sigs, s)
	}
	return sigs
}

func indexOf(sigs []sigDict, s sigDict) int {
	for i := range sigs {
		if sigs[i].obj == s.obj {
			return i
		}
	}
	return -1
}

// isCertifiedBy reports whether the catalog's /Perms /DocMDP is sig and its DocMDP transform allows no change.
func isCertifiedBy(rdr *dpdf.Reader, sig sigDict) bool {
	docMDP := rdr.Trailer().Key("Root").Key("Perms").Key("DocMDP")
	p := docMDP.GetPtr()
	if docMDP.IsNull() || p.GetID() != sig.obj {
		return false
	}
	refs := docMDP.Key("Reference")
	for i := range refs.Len() {
		r := refs.Index(i)
		if r.Key("TransformMethod").Name() == "DocMDP" && r.Key("TransformParams").Key("P").Int64() == 1 {
			return true
		}
	}
	return false
}
