package accounts

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"strings"
	"sync"
	"unicode/utf8"
)

//go:embed breached/passwords.txt.gz
var breachedGz []byte

// breachedPasswords is the bundled list (see breached/README.md), read on first use; only
// entries a password of the minimum length could equal are kept.
var breachedPasswords = sync.OnceValue(func() map[string]struct{} {
	set := map[string]struct{}{}
	zr, err := gzip.NewReader(bytes.NewReader(breachedGz))
	if err != nil {
		panic("accounts: the bundled breached-password list is damaged: " + err.Error()) // embedded at build time
	}
	sc := bufio.NewScanner(zr)
	for sc.Scan() {
		if p := sc.Text(); utf8.RuneCountInString(p) >= MinPasswordLength {
			set[strings.ToLower(p)] = struct{}{}
		}
	}
	if err := sc.Err(); err != nil {
		panic("accounts: the bundled breached-password list is damaged: " + err.Error())
	}
	return set
})

// inBreachedList matches case-insensitively: the list is lower case, and case changes are the
// first variation attackers try.
func inBreachedList(password string) bool {
	_, ok := breachedPasswords()[strings.ToLower(password)]
	return ok
}
