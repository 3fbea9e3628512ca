package otp

import (
	"regexp"
	"testing"
)

func TestGenerateGivesSixDigitsThatVary(t *testing.T) {
	seen := map[string]bool{}
	re := regexp.MustCompile(`^\d{6}$`)
	for i := 0; i < 200; i++ {
		c, err := Generate(6)
		if err != nil {
			t.Fatal(err)
		}
		if !re.MatchString(c) {
			t.Fatalf("code %q is not six digits", c)
		}
		seen[c] = true
	}
	if len(seen) < 190 {
		t.Fatalf("only %d distinct codes in 200: not random enough", len(seen))
	}
}

func TestHashIsKeyedAndBoundToChallenge(t *testing.T) {
	a, b := NewHasher([]byte("key-a")), NewHasher([]byte("key-b"))
	if a.Hash("c1", "123456") == b.Hash("c1", "123456") {
		t.Fatal("hash does not depend on the key")
	}
	if a.Hash("c1", "123456") == a.Hash("c2", "123456") {
		t.Fatal("hash does not depend on the challenge")
	}
	if !a.Equal("c1", "123456", a.Hash("c1", "123456")) || a.Equal("c1", "123457", a.Hash("c1", "123456")) {
		t.Fatal("Equal is wrong")
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"123 456": "123456", "123-456": "123456", "12a456": "", "": ""} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzNormalize: whatever a person types, the result is empty or digits only, and never longer.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"123456", "123 456", "123-456", "12a456", "", "١٢٣٤٥٦", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out := Normalize(in)
		if len(out) > len(in) {
			t.Fatalf("Normalize(%q) = %q grew", in, out)
		}
		for _, c := range out {
			if c < '0' || c > '9' {
				t.Fatalf("Normalize(%q) = %q holds a non-digit", in, out)
			}
		}
	})
}
