package smtptest

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// Mail is one received message, with its MIME structure decoded for assertions.
type Mail struct {
	From        string   // envelope MAIL FROM
	To          []string // envelope RCPT TO
	Raw         []byte   // exactly what arrived after DATA
	Header      mail.Header
	Subject     string // RFC 2047-decoded
	Text, HTML  string // decoded bodies of the text/plain and text/html parts
	Attachments []Attachment
	ParseError  error // set when Raw is not a parseable message
}

// Attachment is a decoded attachment part.
type Attachment struct {
	Name, ContentType string
	Data              []byte
}

var wordDecoder = new(mime.WordDecoder)

// parse decodes headers and walks the MIME tree; it never fails, recording ParseError.
func parse(raw []byte) Mail {
	m := Mail{Raw: raw}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		m.ParseError = err
		return m
	}
	m.Header = msg.Header
	m.Subject = decodeHeader(msg.Header.Get("Subject"))
	m.ParseError = m.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"),
		msg.Header.Get("Content-Disposition"), msg.Body)
	return m
}

// walk visits one part: multiparts recurse, leaves become Text, HTML or an attachment.
func (m *Mail) walk(ctype, cte, disp string, body io.Reader) error {
	if ctype == "" {
		ctype = "text/plain"
	}
	mediaType, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return err
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart() // raw: we decode transfer encodings ourselves, uniformly
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if err := m.walk(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"),
				p.Header.Get("Content-Disposition"), p); err != nil {
				return err
			}
		}
	}
	data, err := io.ReadAll(decodeTransfer(cte, body))
	if err != nil {
		return err
	}
	dispType, dparams, _ := mime.ParseMediaType(disp)
	switch {
	case dispType == "attachment" || (dispType == "inline" && dparams["filename"] != ""):
		name := dparams["filename"]
		if name == "" {
			name = params["name"]
		}
		m.Attachments = append(m.Attachments, Attachment{Name: decodeHeader(name), ContentType: mediaType, Data: data})
	case mediaType == "text/plain" && m.Text == "":
		m.Text = normalizeNewlines(string(data))
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = normalizeNewlines(string(data))
	default:
		m.Attachments = append(m.Attachments, Attachment{Name: decodeHeader(params["name"]), ContentType: mediaType, Data: data})
	}
	return nil
}

func decodeTransfer(cte string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, &stripSpace{r: r})
	default:
		return r
	}
}

// stripSpace drops CR, LF, spaces and tabs so base64 line breaks do not upset the decoder.
type stripSpace struct{ r io.Reader }

func (s *stripSpace) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	j := 0
	for _, b := range p[:n] {
		if b != '\r' && b != '\n' && b != ' ' && b != '\t' {
			p[j] = b
			j++
		}
	}
	return j, err
}

func decodeHeader(s string) string {
	if d, err := wordDecoder.DecodeHeader(s); err == nil {
		return d
	}
	return s
}

func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }
