package smtptest

import "testing"

func TestExtractLink(t *testing.T) {
	html := `<a href="https://x.test/other">x</a> <a href="https://sign.test/s/a_B-1?x=1&amp;y=2">Sign</a>`
	if got := ExtractLink(html, "https://sign.test/s/"); got != "https://sign.test/s/a_B-1?x=1&y=2" {
		t.Errorf("ExtractLink(html) = %q", got)
	}
	if got := ExtractLink("Open:\nhttps://sign.test/s/tok.\n", "https://sign.test/s/"); got != "https://sign.test/s/tok" {
		t.Errorf("ExtractLink(text) = %q", got)
	}
	if got := ExtractLink("no links", "https://"); got != "" {
		t.Errorf("ExtractLink(none) = %q", got)
	}
}

func TestExtractCode(t *testing.T) {
	tests := map[string]string{
		"Hi,\n\nEnter:\n\n  482913\n\nBye 2026":                   "482913",
		`<p style="color:#111111">Your code is 077123.</p>`:       "077123",
		"token https://x.test/s/ab123456cd and 1234567 and 12345": "",
		"": "",
	}
	for body, want := range tests {
		if got := ExtractCode(body); got != want {
			t.Errorf("ExtractCode(%q) = %q, want %q", body, got, want)
		}
	}
}
