package accounts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strings"
)

// signer makes tamper-evident values (confirmation tokens, trusted-device cookies):
// the parts joined by dots, then an HMAC-SHA256 over a purpose label and the parts.
type signer struct{ key []byte }

func (s signer) mac(purpose string, parts []string) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte("signet-accounts/" + purpose))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// sign returns "part1.part2….mac"; parts must not contain dots.
func (s signer) sign(purpose string, parts ...string) string {
	return strings.Join(parts, ".") + "." + base64.RawURLEncoding.EncodeToString(s.mac(purpose, parts))
}

// open checks a signed value and returns its parts, or false when it was altered.
func (s signer) open(purpose, value string, nparts int) ([]string, bool) {
	parts := strings.Split(value, ".")
	if len(parts) != nparts+1 {
		return nil, false
	}
	got, err := base64.RawURLEncoding.DecodeString(parts[nparts])
	if err != nil || !hmac.Equal(got, s.mac(purpose, parts[:nparts])) {
		return nil, false
	}
	return parts[:nparts], true
}
