package pdf

import (
	"strconv"
	"strings"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/font"
)

// winAnsiHigh maps the 0x80–0x9F slots of WinAnsiEncoding, the only range that differs from Latin-1.
var winAnsiHigh = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8A, '‹': 0x8B, 'Œ': 0x8C, 'Ž': 0x8E, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9A, '›': 0x9B,
	'œ': 0x9C, 'ž': 0x9E, 'Ÿ': 0x9F,
}

// latinExtABase is the base letter of each Latin Extended-A character, so "Łukasz Wiśniewski" reads "Lukasz Wisniewski" rather than "?ukasz Wi?niewski".
const latinExtABase = "AaAaAaCcCcCcCcDd" + "DdEeEeEeEeEeGgGg" + "GgGgHhHhIiIiIiIi" + "IiIiJjKkkLlLlLlL" +
	"lLlNnNnNnnNnOoOo" + "OoOoRrRrRrSsSsSs" + "SsTtTtTtUuUuUuUu" + "UuUuWwYyYZzZzZzs"

var winAnsiHighDecode = func() map[byte]rune {
	m := make(map[byte]rune, len(winAnsiHigh))
	for r, b := range winAnsiHigh {
		m[b] = r
	}
	return m
}()

// toWinAnsi encodes s for the standard Helvetica font; characters it cannot show become '?' and controls become spaces.
func toWinAnsi(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n' || r == '\r' || (r < 0x20) || (r >= 0x7F && r < 0xA0):
			b.WriteByte(' ')
		case r < 0x7F || (r >= 0xA0 && r <= 0xFF):
			b.WriteByte(byte(r))
		case winAnsiHigh[r] != 0:
			b.WriteByte(winAnsiHigh[r])
		case r >= 0x100 && r <= 0x17F:
			b.WriteByte(latinExtABase[r-0x100])
		case unicode.IsSpace(r):
			b.WriteByte(' ')
		default:
			b.WriteByte('?')
		}
	}
	return b.String()
}

// fromWinAnsi decodes a WinAnsi byte string back to UTF-8 for text extraction.
func fromWinAnsi(s []byte) string {
	var b strings.Builder
	for _, c := range s {
		if r, ok := winAnsiHighDecode[c]; ok {
			b.WriteRune(r)
			continue
		}
		b.WriteRune(rune(c))
	}
	return b.String()
}

// pdfLiteral writes an encoded string as a PDF literal, escaping delimiters and non-ASCII bytes.
func pdfLiteral(enc string) string {
	var b strings.Builder
	b.Grow(len(enc) + 2)
	b.WriteByte('(')
	for i := 0; i < len(enc); i++ {
		c := enc[i]
		switch {
		case c == '(' || c == ')' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < 0x20 || c >= 0x7F:
			b.WriteByte('\\')
			o := strconv.FormatInt(int64(c), 8)
			b.WriteString(strings.Repeat("0", 3-len(o)) + o)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte(')')
	return b.String()
}

// face is one of the two standard fonts we draw with; neither needs embedding.
type face int

const (
	regular face = iota
	bold
)

func (f face) baseFont() string {
	if f == bold {
		return "Helvetica-Bold"
	}
	return "Helvetica"
}

// width measures an already WinAnsi-encoded string with the core-font metrics pdfcpu ships.
func (f face) width(enc string, size float64) float64 {
	w, err := font.TextWidthFloat(enc, f.baseFont(), size)
	if err != nil {
		return float64(len(enc)) * size * 0.6 // metrics for core fonts never fail; estimate generously if they do
	}
	return w
}

// fit truncates enc with an ellipsis so it fits maxW.
func (f face) fit(enc string, size, maxW float64) string {
	if f.width(enc, size) <= maxW {
		return enc
	}
	const ell = "\x85"
	for n := len(enc) - 1; n > 0; n-- {
		if s := strings.TrimRight(enc[:n], " ") + ell; f.width(s, size) <= maxW {
			return s
		}
	}
	return ell
}

// wrap breaks enc into lines no wider than maxW, splitting long tokens such as hashes and user agents anywhere.
func (f face) wrap(enc string, size, maxW float64) []string {
	words := strings.Fields(enc)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	line := ""
	for _, w := range words {
		cand := w
		if line != "" {
			cand = line + " " + w
		}
		if f.width(cand, size) <= maxW {
			line = cand
			continue
		}
		if line != "" {
			lines = append(lines, line)
			line = ""
		}
		// Always at least one byte per line, so a column narrower than one glyph still terminates.
		for w != "" && f.width(w, size) > maxW {
			n := 1
			for n < len(w) && f.width(w[:n+1], size) <= maxW {
				n++
			}
			lines = append(lines, w[:n])
			w = w[n:]
		}
		line = w
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, line)
	}
	return lines
}
