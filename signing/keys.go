package signing

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
)

// Keys derives the per-purpose keys Signet needs from the one server secret.
type Keys struct {
	linkKey []byte
	sealKey []byte
}

// NewKeys derives purpose-bound keys so no two uses share a key.
func NewKeys(secret []byte) *Keys {
	return &Keys{linkKey: derive(secret, "signing-link"), sealKey: derive(secret, "job-seal")}
}

func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("signet/" + purpose))
	return m.Sum(nil)
}

// LinkToken is the 32-byte secret in a recipient's signing link; recomputable, never stored.
func (k *Keys) LinkToken(recipientID string) string {
	m := hmac.New(sha256.New, k.linkKey)
	m.Write([]byte(recipientID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// HashToken is what the database keeps of a link token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Seal encrypts a short secret (an OTP) for a job's arguments.
func (k *Keys) Seal(plain string) ([]byte, error) {
	gcm, err := k.gcm()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, gcm.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("signing: unable to read randomness: %w", err)
	}
	return gcm.Seal(nonce, nonce, []byte(plain), nil), nil
}

// Open decrypts what Seal produced.
func (k *Keys) Open(sealed []byte) (string, error) {
	gcm, err := k.gcm()
	if err != nil {
		return "", err
	}
	if len(sealed) < gcm.NonceSize() {
		return "", errors.New("signing: sealed value too short")
	}
	plain, err := gcm.Open(nil, sealed[:gcm.NonceSize()], sealed[gcm.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("signing: unable to open sealed value: %w", err)
	}
	return string(plain), nil
}

func (k *Keys) gcm() (cipher.AEAD, error) {
	block, err := aes.NewCipher(k.sealKey)
	if err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	return cipher.NewGCM(block)
}
