package handlers

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"
)

// FuzzDecodeStrict feeds untrusted API bodies to the strict JSON decoder: it must never panic,
// and every refusal must be a 400 APIError a client can read.
func FuzzDecodeStrict(f *testing.F) {
	for _, seed := range []string{
		`{"title":"x","recipients":[{"name":"a","email":"a@b.co"}],"send":true}`,
		`{"title":1}`, `{"unknown":true}`, `{}`, `[]`, `{"a":`, `{"title":"x"} {"title":"y"}`, "", "null",
		`{"filedata":{"name":"a.pdf","content":"JVBERi0="},"recipients":[{"order":"1"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req apiCreateRequest
		err := decodeStrict(body, &req)
		if err == nil {
			return
		}
		var ae *APIError
		if !errors.As(err, &ae) || ae.Status != 400 || ae.Message == "" {
			t.Fatalf("decodeStrict(%q) = %v, want a 400 APIError with a message", body, err)
		}
	})
}

// FuzzDecodePNGDataURL feeds untrusted signature fields: no panic, and only
// "data:image/png;base64,…" with valid base64 is accepted, decoded exactly.
func FuzzDecodePNGDataURL(f *testing.F) {
	f.Add("data:image/png;base64," + base64.StdEncoding.EncodeToString([]byte("\x89PNG\r\n\x1a\n")))
	f.Add("data:image/png;base64,")
	f.Add("data:image/jpeg;base64,AAAA")
	f.Add("data:image/png;base64,!!!")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		b, ok := decodePNGDataURL(s)
		if !ok {
			return
		}
		const prefix = "data:image/png;base64,"
		want, err := base64.StdEncoding.DecodeString(s[len(prefix):])
		if err != nil || !bytes.Equal(b, want) {
			t.Fatalf("decodePNGDataURL(%q) accepted input that does not decode to the same bytes", s)
		}
	})
}
