package signing_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"testing"

	"signet/models"
	"signet/signing"
)

var base64URL = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

func TestLinkToken(t *testing.T) {
	secret := []byte("server secret one 0123456789abcdef")
	k := signing.NewKeys(secret)
	r1, r2 := models.NewID(), models.NewID()

	tok := k.LinkToken(r1)
	if !base64URL.MatchString(tok) {
		t.Fatalf("token %q is not 43 base64url characters without padding", tok)
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(raw) != 32 {
		t.Fatalf("token decodes to %d bytes (%v), want 32", len(raw), err)
	}
	if k.LinkToken(r1) != tok || signing.NewKeys(bytes.Clone(secret)).LinkToken(r1) != tok {
		t.Fatal("the token of a recipient changes between calls or Keys built from the same secret")
	}
	if k.LinkToken(r2) == tok {
		t.Fatal("two recipients share a token")
	}
	if signing.NewKeys([]byte("server secret two 0123456789abcdef")).LinkToken(r1) == tok {
		t.Fatal("another server secret gives the same token")
	}
	if k.LinkToken("") == k.LinkToken(" ") || k.LinkToken(r1+"x") == tok {
		t.Fatal("tokens of different ids collide")
	}
	// The token is not the id itself nor anything derived from it without the secret.
	if sum := sha256.Sum256([]byte(r1)); base64.RawURLEncoding.EncodeToString(sum[:]) == tok {
		t.Fatal("the token is a bare hash of the recipient id: anyone could compute it")
	}
}

func TestHashToken(t *testing.T) {
	tok := signing.NewKeys([]byte("secret")).LinkToken(models.NewID())
	h := signing.HashToken(tok)
	want := sha256.Sum256([]byte(tok))
	if h != hex.EncodeToString(want[:]) {
		t.Fatalf("HashToken = %q, want the hex SHA-256 of the token", h)
	}
	if len(h) != 64 || h == tok {
		t.Fatalf("HashToken = %q", h)
	}
	if signing.HashToken(tok) != h {
		t.Fatal("HashToken is not deterministic")
	}
	if signing.HashToken(signing.NewKeys([]byte("secret")).LinkToken(models.NewID())) == h {
		t.Fatal("two tokens have the same hash")
	}
}

func TestSealOpen(t *testing.T) {
	k := signing.NewKeys([]byte("secret one"))
	for _, plain := range []string{"482913", "", "ünïcödé and a long secret 0123456789012345678901234567890123456789"} {
		sealed, err := k.Seal(plain)
		if err != nil {
			t.Fatal(err)
		}
		if plain != "" && bytes.Contains(sealed, []byte(plain)) {
			t.Fatalf("the sealed value carries %q in clear", plain)
		}
		got, err := k.Open(sealed)
		if err != nil || got != plain {
			t.Fatalf("Open(Seal(%q)) = %q, %v", plain, got, err)
		}
		if again, err := signing.NewKeys([]byte("secret one")).Open(sealed); err != nil || again != plain {
			t.Fatalf("Keys from the same secret (another instance, after a restart) cannot open: %q, %v", again, err)
		}
	}
	a, _ := k.Seal("482913")
	b, _ := k.Seal("482913")
	if bytes.Equal(a, b) {
		t.Fatal("sealing the same code twice gives the same bytes: the nonce is not random")
	}
}

func TestOpenRefusesTamperingAndOtherKeys(t *testing.T) {
	k := signing.NewKeys([]byte("secret one"))
	sealed, err := k.Seal("482913")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := signing.NewKeys([]byte("secret two")).Open(sealed); err == nil {
		t.Fatalf("another key opened the sealed code: %q", got)
	}
	for i := range sealed {
		bad := bytes.Clone(sealed)
		bad[i] ^= 0x01
		if got, err := k.Open(bad); err == nil {
			t.Fatalf("flipping a bit of byte %d went unnoticed: opened %q", i, got)
		}
	}
	for _, bad := range [][]byte{nil, {}, sealed[:11], sealed[:12], sealed[:len(sealed)-1], append(bytes.Clone(sealed), 0)} {
		if got, err := k.Open(bad); err == nil {
			t.Fatalf("Open of %d bytes succeeded: %q", len(bad), got)
		}
	}
}
