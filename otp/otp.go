// Package otp generates one-time codes, hashes them with the server key and holds the policy numbers.
package otp

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"math/big"
	"time"
)

// Policy holds the numbers of DESIGN §4; DefaultPolicy gives the defaults.
type Policy struct {
	Digits          int
	Validity        time.Duration
	MaxAttempts     int // wrong tries that burn one code
	LockoutFailures int // wrong tries within LockoutWindow that lock the recipient
	LockoutWindow   time.Duration
	LockoutDuration time.Duration
	ResendCooldown  time.Duration
	MaxSendsPerHour int // per recipient
	// Per IP and recipient: one address hammering one signer is stopped, while an office
	// behind one NAT (or a proxy not trusted for X-Forwarded-For) can still serve many signers.
	MaxSendsPerIPRecipientHour int
	MaxSendsPerIPHour          int // per IP over all recipients: a looser ceiling against mass sending
}

// DefaultPolicy is the policy DESIGN §4 states.
func DefaultPolicy() Policy {
	return Policy{
		Digits: 6, Validity: 10 * time.Minute, MaxAttempts: 5,
		LockoutFailures: 10, LockoutWindow: time.Hour, LockoutDuration: time.Hour,
		ResendCooldown: 30 * time.Second, MaxSendsPerHour: 5, MaxSendsPerIPRecipientHour: 5, MaxSendsPerIPHour: 300,
	}
}

// Generate returns a code of n decimal digits drawn uniformly from crypto/rand.
func Generate(n int) (string, error) {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", fmt.Errorf("otp: unable to read randomness: %w", err)
	}
	return fmt.Sprintf("%0*d", n, v), nil
}

// Hasher computes the keyed hash under which codes are stored.
type Hasher struct{ key []byte }

// NewHasher uses key as the HMAC secret.
func NewHasher(key []byte) *Hasher { return &Hasher{key: key} }

// Hash is HMAC-SHA256(key, challengeID ‖ code), hex-encoded.
func (h *Hasher) Hash(challengeID, code string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(challengeID))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

// Equal compares a submitted code with a stored hash in constant time.
func (h *Hasher) Equal(challengeID, code, storedHash string) bool {
	return subtle.ConstantTimeCompare([]byte(h.Hash(challengeID, code)), []byte(storedHash)) == 1
}

// Normalize strips the spaces and dashes people type into codes.
func Normalize(code string) string {
	out := make([]byte, 0, len(code))
	for i := 0; i < len(code); i++ {
		if c := code[i]; c >= '0' && c <= '9' {
			out = append(out, c)
		} else if c != ' ' && c != '-' {
			return "" // anything else is not a code
		}
	}
	return string(out)
}
