package pdf

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	dpdf "github.com/digitorus/pdf"
	"github.com/pdfcpu/pdfcpu/pkg/api"
)

const testSealName = "Signet document seal (test)"

func newTestSealer(tb testing.TB) *Sealer {
	tb.Helper()
	s, err := LoadOrCreateSealer(tb.TempDir(), testSealName,
		WithSealLocation("signet.example.com"), WithSealContactInfo("https://signet.example.com"))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// sealedIn10 finalizes in-10.pdf the way a completed envelope is, then seals it.
func sealedIn10(t *testing.T) (s *Sealer, finalized, sealed []byte) {
	t.Helper()
	in := fixture(t, "in-10.pdf")
	finalized, err := Finalize(context.Background(), in, twoSigners(t), auditFor(in, 5))
	if err != nil {
		t.Fatal(err)
	}
	s = newTestSealer(t)
	sealed, err = s.Seal(context.Background(), finalized)
	if err != nil {
		t.Fatalf("Seal: %v", err)
	}
	qpdfClean(t, "sealed", sealed)
	return s, finalized, sealed
}

func TestSealFinalizedDocument(t *testing.T) {
	before := time.Now().Truncate(time.Second)
	s, finalized, sealed := sealedIn10(t)
	after := time.Now()

	if err := Validate(sealed); err != nil {
		t.Fatalf("sealed PDF does not validate: %v", err)
	}
	want, _ := PageCount(finalized)
	if got, err := PageCount(sealed); err != nil || got != want {
		t.Fatalf("PageCount = %d, %v; want %d", got, err, want)
	}
	if text, err := Text(sealed); err != nil || !strings.Contains(text, "Audit trail") || !strings.Contains(text, "Signed by Jane Doe") {
		t.Fatalf("sealed text lost the stamps or the audit trail (err %v)", err)
	}
	if got, want := infoTitle(t, sealed), infoTitle(t, finalized); got != want || want == "" {
		t.Fatalf("document title %q after sealing, want %q", got, want)
	}

	info, err := VerifySeal(sealed)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Valid || info.Modified || info.Problem != "" {
		t.Fatalf("fresh seal: %+v", info)
	}
	if !info.Certified {
		t.Error("the seal is not a certification signature (/Perms /DocMDP with P 1)")
	}
	if info.SignerName != testSealName || info.Fingerprint != s.Fingerprint() || info.Signatures != 1 {
		t.Errorf("signer %q, fingerprint %s, %d signatures; want %q, %s, 1", info.SignerName, info.Fingerprint, info.Signatures, testSealName, s.Fingerprint())
	}
	if info.Reason != SealReason || info.Location != "signet.example.com" || info.ContactInfo != "https://signet.example.com" {
		t.Errorf("reason %q, location %q, contact %q", info.Reason, info.Location, info.ContactInfo)
	}
	if info.SignedAt.Before(before) || info.SignedAt.After(after) {
		t.Errorf("signed at %v, want between %v and %v", info.SignedAt, before, after)
	}
}

// infoTitle reads /Info /Title through the latest trailer, as readers do.
func infoTitle(t *testing.T, data []byte) string {
	t.Helper()
	rdr, err := dpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return rdr.Trailer().Key("Info").Key("Title").Text()
}

// Every way of changing a sealed file must show: inside either signed range, after it, or by re-saving.
func TestVerifySealDetectsTampering(t *testing.T) {
	_, _, sealed := sealedIn10(t)
	for name, tamper := range map[string]func(t *testing.T, b []byte) []byte{
		"byte in a content stream": flipStreamByte,
		"catalog after the signature": func(t *testing.T, b []byte) []byte {
			return replaceOnce(t, b, "/SigFlags 3", "/SigFlags 1")
		},
		"bytes appended": func(t *testing.T, b []byte) []byte { return append(b, "% nothing to see\n"...) },
		"incremental update": func(t *testing.T, b []byte) []byte {
			forged := appendInfoUpdate(t, b, "Forged title")
			if err := Validate(forged); err != nil || infoTitle(t, forged) != "Forged title" {
				t.Fatalf("the forged update is not a working PDF update (%v)", err)
			}
			return forged
		},
		"re-saved by another tool": func(t *testing.T, b []byte) []byte {
			var out bytes.Buffer
			if err := api.Optimize(bytes.NewReader(b), &out, newConf()); err != nil {
				t.Fatal(err)
			}
			return out.Bytes()
		},
	} {
		t.Run(name, func(t *testing.T) {
			tampered := tamper(t, bytes.Clone(sealed))
			info, err := VerifySeal(tampered)
			if err == nil && (info.Valid || !info.Modified || info.Problem == "") {
				t.Fatalf("tampering not reported: %+v", info)
			}
			t.Logf("err %v, problem %q", err, info.Problem)
		})
	}
}

// flipStreamByte changes one byte of the first stream's data, well inside the first signed range.
func flipStreamByte(t *testing.T, b []byte) []byte {
	loc := regexp.MustCompile(`>>\s*stream\r?\n`).FindIndex(b)
	if loc == nil {
		t.Fatal("no stream found")
	}
	b[loc[1]+10] ^= 0x01
	return b
}

func replaceOnce(t *testing.T, b []byte, old, new string) []byte {
	if bytes.Count(b, []byte(old)) != 1 {
		t.Fatalf("%q does not occur exactly once", old)
	}
	return bytes.Replace(b, []byte(old), []byte(new), 1)
}

// appendInfoUpdate adds a classic incremental update that replaces the document information dictionary.
func appendInfoUpdate(t *testing.T, b []byte, title string) []byte {
	tail := b[bytes.LastIndex(b, []byte("trailer")):]
	root := regexp.MustCompile(`/Root (\d+) 0 R`).FindSubmatch(tail)
	size := regexp.MustCompile(`/Size (\d+)`).FindSubmatch(tail)
	prev := regexp.MustCompile(`startxref\s+(\d+)`).FindSubmatch(tail)
	if root == nil || size == nil || prev == nil {
		t.Fatalf("cannot parse the trailer %q", tail)
	}
	var n int
	fmt.Sscan(string(size[1]), &n)
	out := bytes.NewBuffer(b)
	obj := out.Len()
	fmt.Fprintf(out, "%d 0 obj\n<< /Title (%s) >>\nendobj\n", n, title)
	xref := out.Len()
	fmt.Fprintf(out, "xref\n%d 1\n%010d 00000 n \ntrailer\n<< /Size %d /Root %s 0 R /Info %d 0 R /Prev %s >>\nstartxref\n%d\n%%%%EOF\n",
		n, obj, n+1, root[1], n, prev[1], xref)
	return out.Bytes()
}

func TestSealRefusesBadInput(t *testing.T) {
	s := newTestSealer(t)
	in := fixture(t, "in-10.pdf")
	for name, c := range map[string]struct {
		in   []byte
		want error
	}{
		"empty":     {nil, ErrEmpty},
		"garbage":   {[]byte("this is not a PDF at all, just words"), ErrInvalid},
		"pdf magic": {[]byte("%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 9 0 R >>\nendobj\n%%EOF\n"), ErrInvalid},
		"truncated": {in[:len(in)/2], ErrInvalid},
		"encrypted": {encrypt(t, in, "u", "o"), ErrEncrypted},
	} {
		t.Run(name, func(t *testing.T) {
			out, err := s.Seal(context.Background(), c.in)
			if !errors.Is(err, c.want) || out != nil {
				t.Fatalf("got %d bytes, %v; want %v", len(out), err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "pdf: seal: ") {
				t.Fatalf("error %q lacks the package prefix", err)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Seal(ctx, in); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: got %v, want context.Canceled", err)
	}
}

func TestVerifySealRefusesUnsealed(t *testing.T) {
	if _, err := VerifySeal(fixture(t, "in-10.pdf")); !errors.Is(err, ErrNotSealed) {
		t.Errorf("unsigned PDF: got %v, want ErrNotSealed", err)
	}
	if _, err := VerifySeal([]byte("garbage")); !errors.Is(err, ErrInvalid) {
		t.Errorf("garbage: got %v, want ErrInvalid", err)
	}
	if _, err := VerifySeal(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: got %v, want ErrEmpty", err)
	}
}

// A PDF signed elsewhere may be uploaded; Finalize's rewrite breaks that signature, and the seal must still work.
func TestSealDocumentThatWasSignedBefore(t *testing.T) {
	s, _, sealed := sealedIn10(t)
	again, err := Finalize(context.Background(), sealed, twoSigners(t), auditFor(sealed, 1))
	if err != nil {
		t.Fatal(err)
	}
	resealed, err := s.Seal(context.Background(), again)
	if err != nil {
		t.Fatal(err)
	}
	qpdfClean(t, "resealed", resealed)
	info, err := VerifySeal(resealed)
	if err != nil || !info.Valid || info.Signatures != 1 {
		t.Fatalf("%+v, %v; want one valid signature", info, err)
	}
}

// A hand-written PDF 1.4 with a classic table and shared resources: another shape of input.
func TestSealTinyClassicPDF(t *testing.T) {
	s := newTestSealer(t)
	sealed, err := s.Seal(context.Background(), tinyPDF(3, 90))
	if err != nil {
		t.Fatal(err)
	}
	qpdfClean(t, "sealed", sealed)
	if info, err := VerifySeal(sealed); err != nil || !info.Valid || !info.Certified {
		t.Fatalf("%+v, %v", info, err)
	}
	if n, err := PageCount(sealed); n != 3 || err != nil {
		t.Fatalf("PageCount = %d, %v", n, err)
	}
}

func TestSealConcurrent(t *testing.T) {
	s := newTestSealer(t)
	inputs := [][]byte{tinyPDF(1, 0), tinyPDF(2, 0), tinyPDF(3, 0), tinyPDF(4, 0)}
	errs := make(chan error, len(inputs))
	for i, in := range inputs {
		go func() {
			sealed, err := s.Seal(context.Background(), in)
			if err == nil {
				var n int
				if n, err = PageCount(sealed); err == nil && n != i+1 {
					err = fmt.Errorf("sealed copy of a %d-page PDF has %d pages", i+1, n)
				}
			}
			errs <- err
		}()
	}
	for range inputs {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

func TestLoadOrCreateSealerCreatesOnceAndReuses(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	first, err := LoadOrCreateSealer(dir, testSealName)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{sealKeyFile, sealCertFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", name, fi.Mode().Perm())
		}
	}
	if leftovers, _ := filepath.Glob(filepath.Join(dir, ".seal*")); len(leftovers) > 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
	second, err := LoadOrCreateSealer(dir, "another name is ignored once the files exist")
	if err != nil {
		t.Fatal(err)
	}
	if first.Fingerprint() != second.Fingerprint() {
		t.Fatal("the second load created a new certificate")
	}

	c := first.Certificate()
	if c.Subject.CommonName != testSealName || c.Issuer.CommonName != testSealName {
		t.Errorf("subject %v, issuer %v", c.Subject, c.Issuer)
	}
	if pub, ok := c.PublicKey.(*ecdsa.PublicKey); !ok || pub.Curve != elliptic.P256() {
		t.Errorf("public key %T, want ECDSA P-256", c.PublicKey)
	}
	if c.KeyUsage != x509.KeyUsageDigitalSignature|x509.KeyUsageContentCommitment {
		t.Errorf("key usage %b", c.KeyUsage)
	}
	var ekus []string
	for _, o := range c.UnknownExtKeyUsage {
		ekus = append(ekus, o.String())
	}
	if !strings.Contains(strings.Join(ekus, " "), "1.3.6.1.5.5.7.3.36") || !strings.Contains(strings.Join(ekus, " "), "1.3.6.1.4.1.311.10.3.12") {
		t.Errorf("document-signing EKUs missing: %v", ekus)
	}
	if years := c.NotAfter.Sub(c.NotBefore).Hours() / 24 / 365; years < 9.99 || years > 10.01 {
		t.Errorf("valid %.2f years, want 10", years)
	}
	if err := c.CheckSignature(c.SignatureAlgorithm, c.RawTBSCertificate, c.Signature); err != nil {
		t.Errorf("not self-signed: %v", err)
	}
}

// A lost certificate is re-issued for the same key; a certificate of another key is refused.
func TestLoadOrCreateSealerCertificateRecovery(t *testing.T) {
	dir := t.TempDir()
	first, err := LoadOrCreateSealer(dir, testSealName)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, sealCertFile)); err != nil {
		t.Fatal(err)
	}
	reissued, err := LoadOrCreateSealer(dir, testSealName)
	if err != nil {
		t.Fatal(err)
	}
	if !publicKeysEqual(reissued.Certificate().PublicKey, first.Certificate().PublicKey) || reissued.Fingerprint() == first.Fingerprint() {
		t.Fatal("want a new certificate for the same key")
	}

	other := t.TempDir()
	if _, err := LoadOrCreateSealer(other, "Other"); err != nil {
		t.Fatal(err)
	}
	foreign, _ := os.ReadFile(filepath.Join(other, sealCertFile))
	if err := os.WriteFile(filepath.Join(dir, sealCertFile), foreign, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadOrCreateSealer(dir, testSealName); err == nil || !strings.Contains(err.Error(), "does not belong") {
		t.Fatalf("mismatched key and certificate: got %v", err)
	}
}

// Instances starting together on a fresh data dir must agree on one identity.
func TestLoadOrCreateSealerConcurrentStart(t *testing.T) {
	dir := t.TempDir()
	const n = 8
	prints := make(chan string, n)
	for range n {
		go func() {
			s, err := LoadOrCreateSealer(dir, testSealName)
			if err != nil {
				prints <- err.Error()
				return
			}
			prints <- s.Fingerprint()
		}()
	}
	want := <-prints
	for range n - 1 {
		if got := <-prints; got != want {
			t.Fatalf("concurrent starts disagree: %s vs %s", got, want)
		}
	}
}

// An operator may install a CA-issued RSA key (PKCS #1) with its chain; the seal must carry and verify it.
func TestSealerWithOperatorRSAChain(t *testing.T) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test CA"}, IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ = x509.ParseCertificate(caDER)
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "Acme seal"}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour)}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, ca, key.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	chainPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leafDER}), pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})...)
	if err := os.WriteFile(filepath.Join(dir, sealKeyFile), keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, sealCertFile), chainPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadOrCreateSealer(dir, "ignored")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.Seal(context.Background(), tinyPDF(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	info, err := VerifySeal(sealed)
	if err != nil || !info.Valid || info.SignerName != "Acme seal" || info.Fingerprint != s.Fingerprint() {
		t.Fatalf("%+v, %v", info, err)
	}
}

// poppler's pdfsig is what Okular and Evince show; it must see a valid seal over the whole file, and the tampering.
func TestSealShowsInPdfsig(t *testing.T) {
	if _, err := exec.LookPath("pdfsig"); err != nil {
		t.Skip("pdfsig (poppler-utils) is not installed; skipping the cross-check with poppler")
	}
	_, _, sealed := sealedIn10(t)
	dir := t.TempDir()
	run := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		out, _ := exec.Command("pdfsig", "-nocert", path).CombinedOutput() // its exit status says nothing about validity
		return string(out)
	}
	for name, c := range map[string]struct {
		data []byte
		want []string
	}{
		"sealed":   {sealed, []string{"Common Name: " + testSealName, "Signing Hash Algorithm: SHA-256", "Total document signed", "Signature is Valid."}},
		"flipped":  {flipStreamByte(t, bytes.Clone(sealed)), []string{"Digest Mismatch."}},
		"appended": {appendInfoUpdate(t, bytes.Clone(sealed), "Forged"), []string{"Not total document signed"}},
	} {
		out := run(name+".pdf", c.data)
		for _, w := range c.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: pdfsig output lacks %q:\n%s", name, w, out)
			}
		}
	}
}

// FuzzVerifySeal: VerifySeal is meant for a public "verify a document" page, so arbitrary bytes must give a typed
// error or a consistent report, never a panic.
func FuzzVerifySeal(f *testing.F) {
	s := newTestSealer(f)
	sealed, err := s.Seal(context.Background(), tinyPDF(1, 0))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sealed)
	f.Add(tinyPDF(1, 0))
	f.Add([]byte("%PDF-1.7\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		info, err := VerifySeal(data)
		if err != nil {
			for _, typed := range []error{ErrEmpty, ErrInvalid, ErrNotSealed} {
				if errors.Is(err, typed) {
					return
				}
			}
			t.Fatalf("untyped error: %v", err)
		}
		if info.Signatures < 1 || info.Valid == (info.Problem != "") || (info.Valid && info.Modified) {
			t.Fatalf("inconsistent report %+v", info)
		}
	})
}

func BenchmarkSeal10(b *testing.B) { benchSeal(b, "in-10.pdf") }
