package accounts

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
)

// Password length bounds; the upper one keeps hashing input bounded.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
	// minPasswordScore is zxcvbn's "somewhat guessable" (about 10^6 guesses): anything below
	// is a leaked password, a word with a digit or two, or repeated or sequential characters.
	minPasswordScore = 2
	zxcvbnMaxRunes   = 64
)

// CheckPassword applies NIST SP 800-63B §3.1.1.2: a length floor and a refusal of passwords
// that attackers try first: those on the bundled breached-password list, and those zxcvbn
// (whose own lists hold the most common breached passwords) finds guessable, counting
// personal words (email, name) against the password.
func CheckPassword(password string, personal ...string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return &PasswordError{Code: CodePasswordTooShort}
	case n > MaxPasswordLength:
		return &PasswordError{Code: CodePasswordTooLong}
	}
	if inBreachedList(password) {
		return &PasswordError{Code: CodePasswordBreached}
	}
	if n > zxcvbnMaxRunes { // zxcvbn's matching grows fast with length; a long tail only adds strength
		password = string([]rune(password)[:zxcvbnMaxRunes])
	}
	r := zxcvbn.PasswordStrength(password, personalWords(personal))
	if r.Score >= minPasswordScore {
		return nil
	}
	for _, m := range r.Sequence {
		if m.Pattern == "dictionary" && m.DictionaryName == "passwords" {
			return &PasswordError{Code: CodePasswordBreached}
		}
	}
	return &PasswordError{Code: CodePasswordGuessable}
}

// personalWords splits an email and a name into the words an attacker would try ("jane",
// "doe", "example"), keeping the whole values too.
func personalWords(values []string) []string {
	var words []string
	for _, v := range values {
		v = strings.ToLower(v)
		words = append(words, v)
		words = append(words, strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })...)
	}
	return words
}
