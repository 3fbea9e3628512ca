package handlers

import (
	"net/mail"
	"strings"
)

// ValidEmail accepts a bare address with a dotted domain.
func ValidEmail(s string) bool {
	if len(s) > 320 || strings.ContainsAny(s, " \r\n<>") {
		return false
	}
	a, err := mail.ParseAddress(s)
	at := strings.LastIndex(s, "@")
	return err == nil && a.Address == s && at > 0 && strings.Contains(s[at:], ".")
}
