package accounts_test

import (
	"errors"
	"strings"
	"testing"

	"signet/accounts"
)

// Leaked, repeated, sequential and personal passwords are refused with their reason; a
// passphrase is accepted.
func TestCheckPassword(t *testing.T) {
	cases := []struct {
		password string
		personal []string
		want     string // "" means accepted
	}{
		{"aaaaaaaaaa", nil, accounts.CodePasswordGuessable},
		{"1234567890", nil, accounts.CodePasswordBreached},
		{"password12", nil, accounts.CodePasswordBreached},
		{"qwertyuiop", nil, accounts.CodePasswordBreached},
		{"abcdefghij", nil, accounts.CodePasswordGuessable},
		{"short", nil, accounts.CodePasswordTooShort},
		{strings.Repeat("long tail ", 26), nil, accounts.CodePasswordTooLong},
		{"jonathanmcgregor", []string{"jonathan.mcgregor@example.com", "Jonathan McGregor"}, accounts.CodePasswordGuessable},
		{"ghostrecon", nil, accounts.CodePasswordBreached},  // on the bundled list only, not in zxcvbn's
		{"ForgetMeNot", nil, accounts.CodePasswordBreached}, // the list matches in any case
		{"correct horse battery", nil, ""},
		{"Tr0ub4dor&3-horse", nil, ""},
		{"vR7#kq2!Lm9@xT4$" + strings.Repeat("z", 200), nil, ""}, // long: zxcvbn sees only the first 64 characters
	}
	for _, c := range cases {
		err := accounts.CheckPassword(c.password, c.personal...)
		var pe *accounts.PasswordError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%q refused: %v", c.password, err)
		case c.want != "" && (!errors.As(err, &pe) || pe.Code != c.want):
			t.Errorf("%q: got %v, want %s", c.password, err, c.want)
		}
	}
}
