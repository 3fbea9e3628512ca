package pdf

import (
	"strings"
	"testing"
)

func TestTextOfFixture(t *testing.T) {
	text, err := Text(fixture(t, "in-10.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Master Services Agreement - page 1 of 10", "10.1 Confidential Information", "(30) days"} {
		if !strings.Contains(text, want) {
			t.Errorf("Text lacks %q", want)
		}
	}
}

func TestExtractText(t *testing.T) {
	for _, tc := range []struct{ content, want string }{
		{`BT /F1 9 Tf 10 10 Td (Hello \(world\) \\ back) Tj ET`, `Hello (world) \ back`},
		{`BT (nested (parens) ok) Tj ET`, `nested (parens) ok`},
		{`BT (caf\351 \200 \2245) Tj ET`, "café € ”5"},
		{`BT <48656C6C6F> Tj <4> Tj ET`, "Hello@"},
		{`BT [(Hel) 20 (lo) -300 (World)] TJ ET`, "Hello World"},
		{`BT (line1) Tj 0 -12 Td (line2) ' ET`, "line1\nline2"},
		{"BT (a) Tj ET % (comment) Tj\nBI /W 1 /H 1 ID \x00(x)\xff EI BT (b) Tj ET", "a\nb"},
		{`q 1 0 0 1 0 0 cm /Im1 Do Q (dangling`, ""},
		{`BT (split\` + "\n" + `line) Tj ET << /A (dict) >> BDC`, "splitline"},
	} {
		var b strings.Builder
		extractText([]byte(tc.content), &b)
		if got := strings.TrimSpace(b.String()); got != tc.want {
			t.Errorf("extractText(%q) = %q, want %q", tc.content, got, tc.want)
		}
	}
}

func TestWinAnsiRoundTrip(t *testing.T) {
	for in, want := range map[string]string{
		"Jane Doe":           "Jane Doe",
		"Zoë Ångström":       "Zoë Ångström",
		"Łukasz Wiśniewski":  "Lukasz Wisniewski",
		"€ – — “” ‘’ … • ™":  "€ – — “” ‘’ … • ™",
		"王小明 Иван":           "??? ????",
		"tab\tnew\nline\x00": "tab new line ",
		"Œuvre Š ž Ÿ":        "Œuvre Š ž Ÿ",
		"paren ( ) \\ slash": "paren ( ) \\ slash",
	} {
		var b strings.Builder
		extractText([]byte("BT "+pdfLiteral(toWinAnsi(in))+" Tj ET"), &b)
		if got := strings.TrimSuffix(b.String(), "\n"); got != want {
			t.Errorf("round trip of %q = %q, want %q", in, got, want)
		}
	}
}

func TestWrapAndFit(t *testing.T) {
	long := toWinAnsi(strings.Repeat("abcdef0123456789", 8))
	lines := regular.wrap(long+" tail", 9, 100)
	if len(lines) < 3 || strings.ReplaceAll(strings.Join(lines, ""), " ", "") != long+"tail" {
		t.Fatalf("wrap lost or duplicated text: %q", lines)
	}
	for _, l := range lines {
		if w := regular.width(l, 9); w > 100 {
			t.Fatalf("line %q is %.1f pt wide, limit 100", l, w)
		}
	}
	if f := bold.fit(long, 9, 60); bold.width(f, 9) > 60 || !strings.HasSuffix(f, "\x85") {
		t.Fatalf("fit = %q", f)
	}
	if got := regular.fit("short", 9, 100); got != "short" {
		t.Fatalf("fit changed a string that fits: %q", got)
	}
}

// Any text in any column width, negative and narrower than one glyph included, wraps without losing a character.
func TestWrapAnyWidth(t *testing.T) {
	texts := []string{"", " ", "W", "Łukasz Wiśniewski 山田太郎 Ярослава", strings.Repeat("W", 300), "a  b\t\tc\n" + strings.Repeat("é", 40)}
	for _, maxW := range []float64{-500, -1, 0, 0.5, 3, 9, 40, 100, 1000} {
		for _, s := range texts {
			enc := toWinAnsi(s)
			lines := regular.wrap(enc, 9, maxW)
			if len(lines) == 0 {
				t.Fatalf("wrap(%q, %g) returned no line", s, maxW)
			}
			if got, want := strings.Join(lines, ""), strings.Join(strings.Fields(enc), ""); strings.ReplaceAll(got, " ", "") != want {
				t.Fatalf("wrap(%q, %g) = %q: text lost or duplicated", s, maxW, lines)
			}
			for _, l := range lines {
				if len(l) > 1 && regular.width(l, 9) > maxW {
					t.Fatalf("wrap(%q, %g): line %q is wider than the column", s, maxW, l)
				}
			}
			if f := regular.fit(enc, 9, maxW); regular.width(f, 9) > max(maxW, regular.width("\x85", 9)) {
				t.Fatalf("fit(%q, %g) = %q overflows", s, maxW, f)
			}
		}
	}
}

// The events table's columns never shrink below minColW nor overlap, whatever the content width.
func TestEventColumnsAnyWidth(t *testing.T) {
	for cw := -100.0; cw <= 2000; cw++ {
		cols := eventColumns(cw)
		for i, c := range cols {
			if c.w < minColW || (i > 0 && c.x < cols[i-1].x+cols[i-1].w) {
				t.Fatalf("content width %g: columns %+v", cw, cols)
			}
		}
		if last := cols[3]; cw >= 4*minColW+12 && last.x+last.w > cw+0.001 {
			t.Fatalf("content width %g: columns %+v overflow", cw, cols)
		}
	}
}
