package pdf

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"time"
)

// The seal identity lives in the data dir as two PEM files; an operator may replace them with a CA-issued pair
// (seal.crt may then carry the chain after the leaf), and a missing seal.crt is re-issued for the existing key.
const (
	sealKeyFile  = "seal.key"
	sealCertFile = "seal.crt"
	sealValidity = 10 * 365 * 24 * time.Hour
)

var (
	oidDocumentSigning          = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 36}       // RFC 9336 id-kp-documentSigning
	oidMicrosoftDocumentSigning = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 311, 10, 3, 12} // what Acrobat and Windows look for
)

// sealIdentity is the key, its certificate and any chain above it.
type sealIdentity struct {
	key   crypto.Signer
	cert  *x509.Certificate
	chain []*x509.Certificate
}

// loadOrCreateIdentity reads dir/seal.key and dir/seal.crt, creating either when missing. Files are claimed with a
// hard link, so two processes starting at once end up with one key and never overwrite each other.
func loadOrCreateIdentity(dir, commonName string, now time.Time) (*sealIdentity, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	keyPath, certPath := filepath.Join(dir, sealKeyFile), filepath.Join(dir, sealCertFile)
	keyPEM, err := os.ReadFile(keyPath)
	if errors.Is(err, fs.ErrNotExist) {
		keyPEM, err = createSealKey(keyPath)
	}
	if err != nil {
		return nil, err
	}
	key, err := parseSealKey(keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", keyPath, err)
	}
	certPEM, err := os.ReadFile(certPath)
	if errors.Is(err, fs.ErrNotExist) {
		certPEM, err = createSealCert(certPath, key, commonName, now)
	}
	if err != nil {
		return nil, err
	}
	certs, err := parseCertificates(certPEM)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", certPath, err)
	}
	id := &sealIdentity{key: key, cert: certs[0], chain: certs[1:]}
	if !publicKeysEqual(id.cert.PublicKey, key.Public()) {
		return nil, fmt.Errorf("%s does not belong to %s", certPath, keyPath)
	}
	if now.After(id.cert.NotAfter) || now.Before(id.cert.NotBefore) {
		return nil, fmt.Errorf("%s is valid only from %s to %s; delete it to have a new one issued for the same key",
			certPath, id.cert.NotBefore.Format(time.DateOnly), id.cert.NotAfter.Format(time.DateOnly))
	}
	return id, nil
}

// createSealKey generates an ECDSA P-256 key (pdfsign signs with it; smaller and faster than RSA) as PKCS #8 PEM.
func createSealKey(path string) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return writeNewFile(path, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
}

// createSealCert self-signs a document-signing certificate for key.
func createSealCert(path string, key crypto.Signer, commonName string, now time.Time) ([]byte, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return nil, err
	}
	spki, err := x509.MarshalPKIXPublicKey(key.Public())
	if err != nil {
		return nil, err
	}
	skid := sha256.Sum256(spki)
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: commonName, Organization: []string{"Signet"}},
		NotBefore:    now.Add(-time.Hour).UTC(), // tolerate a little clock skew between instances
		NotAfter:     now.Add(sealValidity).UTC(),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		// Document signing is what the seal is for; poppler (NSS) checks signers as e-mail signers and reports
		// "Unknown issue with Certificate" instead of "issuer is unknown" unless emailProtection is present too.
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageEmailProtection},
		UnknownExtKeyUsage:    []asn1.ObjectIdentifier{oidDocumentSigning, oidMicrosoftDocumentSigning},
		BasicConstraintsValid: true,
		SubjectKeyId:          skid[:20],
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return writeNewFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// writeNewFile writes data to path with mode 0600 unless path already exists, in which case it returns what is
// there: the temporary file is synced, then hard-linked into place, which fails instead of replacing a winner's file.
func writeNewFile(path string, data []byte) ([]byte, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*") // CreateTemp uses mode 0600
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return nil, err
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return os.ReadFile(path)
		}
		return nil, err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil { // make the new name durable
		_ = d.Sync()
		d.Close()
	}
	return data, nil
}

// parseSealKey accepts PKCS #8, SEC 1 (EC) and PKCS #1 (RSA) PEM keys.
func parseSealKey(data []byte) (crypto.Signer, error) {
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			return nil, errors.New("no PEM private key found")
		}
		var key any
		var err error
		switch block.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(block.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(block.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(block.Bytes)
		default:
			continue
		}
		if err != nil {
			return nil, err
		}
		signer, ok := key.(crypto.Signer)
		if !ok {
			return nil, fmt.Errorf("unsupported key type %T", key)
		}
		return signer, nil
	}
}

// parseCertificates returns every CERTIFICATE block, leaf first.
func parseCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for {
		var block *pem.Block
		block, data = pem.Decode(data)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate found")
	}
	return certs, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	ka, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && ka.Equal(b)
}

// certFingerprint is the SHA-256 of the certificate's DER, in lower-case hex, as browsers and Acrobat show it.
func certFingerprint(c *x509.Certificate) string {
	sum := sha256.Sum256(c.Raw)
	return fmt.Sprintf("%x", sum[:])
}
