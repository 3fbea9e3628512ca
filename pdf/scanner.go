package pdf

import "bytes"

// A tiny content-stream tokenizer, just enough for text extraction in Text.
type tokKind int

const (
	tokEOF tokKind = iota
	tokString
	tokNumber
	tokOp
	tokOther
)

type scanner struct {
	b     []byte
	i     int
	depth int // array nesting, so TJ kerning can be told apart from operands
}

func isWhite(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0
}

func isDelim(c byte) bool { return bytes.IndexByte([]byte("()<>[]{}/%"), c) >= 0 }

func (s *scanner) next() (tokKind, []byte) {
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case isWhite(c):
			s.i++
		case c == '%':
			for s.i < len(s.b) && s.b[s.i] != '\n' && s.b[s.i] != '\r' {
				s.i++
			}
		case c == '(':
			return tokString, s.literal()
		case c == '<' && s.i+1 < len(s.b) && s.b[s.i+1] == '<', c == '>' && s.i+1 < len(s.b) && s.b[s.i+1] == '>':
			s.i += 2
			return tokOther, nil
		case c == '<':
			return tokString, s.hex()
		case c == '[':
			s.depth++
			s.i++
			return tokOther, nil
		case c == ']':
			s.depth = max(0, s.depth-1)
			s.i++
			return tokOther, nil
		case c == '/':
			s.i++
			s.regular()
			return tokOther, nil
		case isDelim(c):
			s.i++
			return tokOther, nil
		default:
			tok := s.regular()
			if (tok[0] >= '0' && tok[0] <= '9') || tok[0] == '-' || tok[0] == '+' || tok[0] == '.' {
				return tokNumber, tok
			}
			return tokOp, tok
		}
	}
	return tokEOF, nil
}

func (s *scanner) regular() []byte {
	start := s.i
	for s.i < len(s.b) && !isWhite(s.b[s.i]) && !isDelim(s.b[s.i]) {
		s.i++
	}
	if s.i == start { // a lone delimiter we do not handle: consume it so scanning always advances
		s.i++
	}
	return s.b[start:s.i]
}

// literal decodes a (…) string with nesting and backslash escapes.
func (s *scanner) literal() []byte {
	s.i++ // (
	var out []byte
	depth := 1
	for s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		switch c {
		case '(':
			depth++
		case ')':
			if depth--; depth == 0 {
				return out
			}
		case '\\':
			if s.i >= len(s.b) {
				return out
			}
			e := s.b[s.i]
			s.i++
			switch e {
			case 'n':
				c = '\n'
			case 'r':
				c = '\r'
			case 't':
				c = '\t'
			case 'b':
				c = '\b'
			case 'f':
				c = '\f'
			case '\r', '\n':
				if e == '\r' && s.i < len(s.b) && s.b[s.i] == '\n' {
					s.i++
				}
				continue
			default:
				if e >= '0' && e <= '7' {
					v := int(e - '0')
					for k := 0; k < 2 && s.i < len(s.b) && s.b[s.i] >= '0' && s.b[s.i] <= '7'; k++ {
						v = v*8 + int(s.b[s.i]-'0')
						s.i++
					}
					c = byte(v)
				} else {
					c = e
				}
			}
		}
		out = append(out, c)
	}
	return out
}

// hex decodes a <…> string; an odd final digit counts as followed by 0.
func (s *scanner) hex() []byte {
	s.i++ // <
	var out []byte
	var hi byte
	half := false
	for s.i < len(s.b) {
		c := s.b[s.i]
		s.i++
		if c == '>' {
			break
		}
		var v byte
		switch {
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			continue
		}
		if half {
			out = append(out, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		out = append(out, hi<<4)
	}
	return out
}

// skipInlineImage jumps over binary inline-image data up to the EI operator.
func (s *scanner) skipInlineImage() {
	if s.i < len(s.b) {
		s.i++ // the single white-space after ID
	}
	for s.i+2 <= len(s.b) {
		if s.b[s.i] == 'E' && s.b[s.i+1] == 'I' && (s.i == 0 || isWhite(s.b[s.i-1])) && (s.i+2 == len(s.b) || isWhite(s.b[s.i+2])) {
			s.i += 2
			return
		}
		s.i++
	}
	s.i = len(s.b)
}
