package handlers

import "testing"

// The base URL's origin is compared with what browsers send in Origin.
func TestOriginOf(t *testing.T) {
	for in, want := range map[string]string{
		"https://sign.example.com":          "https://sign.example.com",
		"https://sign.example.com/":         "https://sign.example.com",
		"https://Sign.Example.com:443/sub/": "https://sign.example.com",
		"http://localhost:80":               "http://localhost",
		"http://127.0.0.1:8080":             "http://127.0.0.1:8080",
		"https://[::1]:8443":                "https://[::1]:8443",
	} {
		if got := originOf(in); got != want {
			t.Errorf("originOf(%q) = %q, want %q", in, got, want)
		}
	}
}
