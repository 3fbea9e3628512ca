package notify

import (
	"bytes"
	"embed"
	htmltemplate "html/template"
	"strings"
	texttemplate "text/template"
)

//go:embed templates
var templateFS embed.FS

// frame holds what the shared layout needs around each message's content.
type frame struct {
	Subject     string
	Preheader   string // inbox preview line; never contains a code or link
	Greeting    string
	Org         string // organization named in the footer
	ButtonLabel string
	ButtonURL   string
}

// pair is one message's HTML and text templates, each parsed with the shared layout.
type pair struct {
	html *htmltemplate.Template
	text *texttemplate.Template
}

// templates are parsed once at start-up; a broken template stops the program early.
var templates = map[string]pair{
	"invitation": parsePair("invitation"),
	"code":       parsePair("code"),
	"completed":  parsePair("completed"),
	"declined":   parsePair("declined"),
	"cancelled":  parsePair("cancelled"),
}

func parsePair(name string) pair {
	return pair{
		html: htmltemplate.Must(htmltemplate.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html")),
		text: texttemplate.Must(texttemplate.ParseFS(templateFS, "templates/layout.txt", "templates/"+name+".txt")),
	}
}

// render executes both templates of a message. Templates and view types are fixed at
// compile time and every one is exercised by tests, so a failure is a programming error.
func render(name string, view any) (text, html string) {
	p, ok := templates[name]
	if !ok {
		panic("notify: no template " + name)
	}
	var hb, tb bytes.Buffer
	if err := p.html.ExecuteTemplate(&hb, "layout", view); err != nil {
		panic("notify: render " + name + ".html: " + err.Error())
	}
	if err := p.text.ExecuteTemplate(&tb, "layout", view); err != nil {
		panic("notify: render " + name + ".txt: " + err.Error())
	}
	return tidyText(tb.String()), hb.String()
}

// tidyText trims trailing spaces and collapses runs of blank lines left by template actions.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\r")
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}
