package pdf

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"time"

	dpdf "github.com/digitorus/pdf"
	"github.com/digitorus/pdfsign/sign"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// SealReason is the /Reason every seal carries; readers show it next to the signature.
const SealReason = "Sealed by Signet: the document and its audit trail"

// Sealer signs finished PDFs with the portal's certificate: an invisible certification signature (CMS, SHA-256,
// ESS signing-certificate-v2, signing time) whose DocMDP permission forbids any later change, so every PDF reader
// reports an edit, an appended update or a removed byte. It is safe for concurrent use.
type Sealer struct {
	id          *sealIdentity
	location    string
	contactInfo string
	now         func() time.Time
}

// SealerOption sets what the seal tells readers besides the certificate.
type SealerOption func(*Sealer)

// WithSealLocation sets the signature's /Location, e.g. the portal's host name.
func WithSealLocation(location string) SealerOption { return func(s *Sealer) { s.location = location } }

// WithSealContactInfo sets the signature's /ContactInfo, e.g. the portal's base URL or a support address.
func WithSealContactInfo(contact string) SealerOption {
	return func(s *Sealer) { s.contactInfo = contact }
}

// LoadOrCreateSealer reads seal.key and seal.crt (PEM) from dir, or creates them once: an ECDSA P-256 key and a
// self-signed certificate for commonName (e.g. "Signet document seal (localhost)"), valid ten years, with key usage
// digitalSignature|contentCommitment and the document-signing extended key usages. Files are written 0600.
func LoadOrCreateSealer(dir, commonName string, opts ...SealerOption) (*Sealer, error) {
	if commonName == "" {
		return nil, fmt.Errorf("pdf: seal identity: the certificate needs a common name")
	}
	id, err := loadOrCreateIdentity(dir, commonName, time.Now())
	if err != nil {
		return nil, fmt.Errorf("pdf: seal identity: %w", err)
	}
	s := &Sealer{id: id, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Certificate is the seal's signing certificate, for a page that lets users trust or compare it.
func (s *Sealer) Certificate() *x509.Certificate { return s.id.cert }

// Fingerprint is the SHA-256 of the certificate in hex; VerifySeal reports the same value for a sealed PDF.
func (s *Sealer) Fingerprint() string { return certFingerprint(s.id.cert) }

// Seal returns in, rewritten once and signed. in is Finalize's output: it is parsed but not validated again (that
// doubled the cost on large files and failed on quirks carried over from the original). The result is verified
// before it is returned, so a seal that a reader would reject never reaches storage.
func (s *Sealer) Seal(ctx context.Context, in []byte) (out []byte, err error) {
	defer recoverInto(&err, "seal")
	if len(in) == 0 {
		return nil, fmt.Errorf("pdf: seal: %w", ErrEmpty)
	}
	prepared, permsAt, err := prepareForSeal(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("pdf: seal: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("pdf: seal: %w", err)
	}
	out, err = s.sign(prepared, permsAt)
	if err != nil {
		return nil, fmt.Errorf("pdf: seal: sign: %w", err)
	}
	info, err := verifySeal(out)
	switch {
	case err != nil:
		return nil, fmt.Errorf("pdf: seal: self-check: %w", err)
	case !info.Valid || !info.Certified || info.Fingerprint != s.Fingerprint():
		return nil, fmt.Errorf("pdf: seal: self-check failed: valid %t, certified %t: %s", info.Valid, info.Certified, info.Problem)
	}
	return out, nil
}

// docMDPPlaceholder stands in for the reference to the signature dictionary pdfsign is about to add; it is patched,
// space-padded to the same width, once the number is known, so no offset in the file moves. It is a name, not a
// reference to a made-up number: pdfcpu writes a null object for every dangling reference.
const docMDPPlaceholder = "SignetDocMDPPlaceholder"

var docMDPPlaceholderRef = []byte("/" + docMDPPlaceholder)

// prepareForSeal rewrites in with a classic cross-reference table and no object streams, and adds the catalog's
// /Perms /DocMDP entry that makes the signature a certification. pdfsign v0.9.0 writes neither well by itself: its
// cross-reference-stream update drops the trailer's /Info (title and dates vanish) and it never writes /Perms.
func prepareForSeal(ctx context.Context, in []byte) (prepared []byte, permsAt int64, err error) {
	pctx, err := loadOwn(ctx, in)
	if err != nil {
		return nil, 0, err
	}
	pctx.WriteXRefStream = false
	pctx.WriteObjectStream = false
	dropDeadSignatures(pctx.XRefTable)
	// /Perms must be an indirect object: pdfsign copies catalog entries, resolving direct ones, and the signature
	// it points to does not exist yet. A previous /Perms (UR3 usage rights) cannot survive the rewrite anyway.
	root, err := pctx.Catalog()
	if err != nil {
		return nil, 0, fmt.Errorf("%w: catalog: %w", ErrInvalid, err)
	}
	perms := newObject(pctx.XRefTable, types.Dict{"DocMDP": types.Name(docMDPPlaceholder)})
	root["Perms"] = perms
	var buf bytes.Buffer
	buf.Grow(len(in) + len(in)/4 + 16<<10)
	if err := api.WriteContext(pctx, &buf); err != nil {
		return nil, 0, fmt.Errorf("write: %w", err)
	}
	at, ok := pctx.Write.Table[int(perms.ObjectNumber)]
	if !ok {
		return nil, 0, fmt.Errorf("write: the /Perms object was not written")
	}
	prepared, err = rewriteXRef(buf.Bytes(), pctx)
	if err != nil {
		return nil, 0, fmt.Errorf("write: %w", err)
	}
	return prepared, at, nil
}

// dropDeadSignatures unlinks signature values the document arrived with (a PDF signed elsewhere and uploaded):
// pdfcpu's rewrite has already broken them, and left in place they would make the sealed file look tampered with.
// The fields and their appearances stay; pdfcpu writes only reachable objects, so the dead values disappear.
func dropDeadSignatures(xt *model.XRefTable) {
	for _, e := range xt.Table {
		if e == nil || e.Free {
			continue
		}
		d, ok := e.Object.(types.Dict)
		if !ok {
			continue
		}
		if v, found := d.Find("V"); found {
			if sig, err := xt.DereferenceDict(v); err == nil && isSignatureDict(sig) {
				delete(d, "V")
			}
		}
	}
}

func isSignatureDict(d types.Dict) bool {
	if t := d.Type(); t != nil && (*t == "Sig" || *t == "DocTimeStamp") {
		return true
	}
	_, hasRange := d.Find("ByteRange")
	_, hasContents := d.Find("Contents")
	return hasRange && hasContents
}

// sign adds the signature as an incremental update with pdfsign, after pointing /Perms /DocMDP at the object
// number pdfsign is about to use.
func (s *Sealer) sign(prepared []byte, permsAt int64) ([]byte, error) {
	rdr, err := dpdf.NewReader(bytes.NewReader(prepared), int64(len(prepared)))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
	}
	if err := patchDocMDP(prepared, permsAt, nextObjectNumber(rdr)); err != nil {
		return nil, err
	}
	chain := [][]*x509.Certificate{append([]*x509.Certificate{s.id.cert}, s.id.chain...)}
	var out bytes.Buffer
	out.Grow(len(prepared) + 32<<10)
	sc := &sign.SignContext{
		PDFReader:  rdr,
		InputFile:  bytes.NewReader(prepared),
		OutputFile: &out,
		// Room for everything pdfsign does not estimate (signed attributes, the signature value): too small a
		// placeholder makes it retry, and its retry renumbers the objects and breaks the file.
		SignatureMaxLengthBase: uint32(hex.EncodedLen(2048)),
		SignData: sign.SignData{
			Signature: sign.SignDataSignature{
				Info: sign.SignDataSignatureInfo{
					Name:        s.id.cert.Subject.CommonName,
					Location:    s.location,
					Reason:      SealReason,
					ContactInfo: s.contactInfo,
					Date:        s.now().UTC(),
				},
				CertType:   sign.CertificationSignature,
				DocMDPPerm: sign.DoNotAllowAnyChangesPerms,
			},
			Signer:            s.id.key,
			DigestAlgorithm:   crypto.SHA256,
			Certificate:       s.id.cert,
			CertificateChains: chain,
		},
	}
	if err := sc.SignPDF(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// nextObjectNumber mirrors pdfsign v0.9.0: new objects are numbered from the highest number in the
// cross-reference table plus two, and the signature dictionary is the first one it adds.
func nextObjectNumber(rdr *dpdf.Reader) uint32 {
	var highest uint32
	for _, x := range rdr.Xref() {
		p := x.Ptr()
		highest = max(highest, p.GetID())
	}
	return highest + 2
}

// patchDocMDP replaces the placeholder reference in the /Perms object, which pdfcpu wrote at permsAt, in place
// with "n 0 R" padded by spaces to the same width.
func patchDocMDP(prepared []byte, permsAt int64, sigObj uint32) error {
	const window = 64 // "n 0 obj\n<</DocMDP/SignetDocMDPPlaceholder>>" and then some
	if permsAt < 0 || permsAt >= int64(len(prepared)) {
		return fmt.Errorf("the /Perms object is outside the file")
	}
	obj := prepared[permsAt:min(int64(len(prepared)), permsAt+window)]
	i := bytes.Index(obj, docMDPPlaceholderRef)
	if i < 0 {
		return fmt.Errorf("no DocMDP placeholder in %q", obj)
	}
	// The leading space keeps the reference apart from a key written flush against it ("/DocMDP/Signet…").
	copy(obj[i:], fmt.Sprintf("%-*s", len(docMDPPlaceholderRef), fmt.Sprintf(" %d 0 R", sigObj)))
	return nil
}
