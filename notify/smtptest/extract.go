package smtptest

import (
	"html"
	"regexp"
	"strings"
)

// LinkPattern matches an http(s) URL in a text or HTML body.
var LinkPattern = regexp.MustCompile(`https?://[^\s"'<>]+`)

// codeLine is a 6-digit code alone on its line (how Signet's text bodies carry it).
var codeLine = regexp.MustCompile(`(?m)^[ \t]*(\d{6})[ \t]*$`)

// codeAnywhere is a 6-digit run not glued to letters, digits or '#' (HTML colours).
var codeAnywhere = regexp.MustCompile(`(?:^|[^0-9A-Za-z#&;_-])(\d{6})(?:$|[^0-9A-Za-z_-])`)

// ExtractLink returns the first URL in body that starts with prefix (HTML entities such
// as &amp; decoded), or "" when there is none.
func ExtractLink(body, prefix string) string {
	for _, l := range LinkPattern.FindAllString(body, -1) {
		l = strings.TrimRight(html.UnescapeString(l), ".,;:)")
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}

// ExtractCode returns the 6-digit code in body, preferring one alone on a line; works
// best on Mail.Text. It returns "" when there is none.
func ExtractCode(body string) string {
	if m := codeLine.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	if m := codeAnywhere.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}
