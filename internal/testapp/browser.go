package testapp

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Browser is an HTTP client that behaves like a browser: cookies kept, CSRF token read from each page.
type Browser struct {
	T      testing.TB
	App    *App
	Client *http.Client
	CSRF   string
	Header http.Header // added to every request
}

// Response is a finished request with its body read.
type Response struct {
	*http.Response
	Body string
}

// Doc parses the body as HTML.
func (r *Response) Doc(t testing.TB) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return d
}

// NewBrowser gives a fresh browser with an empty cookie jar; it does not follow redirects.
func (a *App) NewBrowser() *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{T: a.T, App: a, Header: http.Header{}, Client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"|name="csrf-token" content="([^"]+)"`)

// Do sends a request and remembers the page's CSRF token.
func (b *Browser) Do(req *http.Request) *Response {
	b.T.Helper()
	for k, v := range b.Header {
		req.Header[k] = v
	}
	res, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if m := csrfInput.FindStringSubmatch(string(body)); m != nil {
		b.CSRF = m[1] + m[2]
	}
	return &Response{Response: res, Body: string(body)}
}

// Get fetches a path (or absolute URL).
func (b *Browser) Get(path string) *Response {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.abs(path), nil)
	return b.Do(req)
}

// Follow fetches pages, following redirects like a browser, and returns the last.
func (b *Browser) Follow(res *Response) *Response {
	b.T.Helper()
	for i := 0; i < 10 && res.StatusCode >= 300 && res.StatusCode < 400; i++ {
		res = b.Get(res.Header.Get("Location"))
	}
	return res
}

// PostForm submits a form with the current CSRF token added.
func (b *Browser) PostForm(path string, v url.Values) *Response {
	b.T.Helper()
	if v == nil {
		v = url.Values{}
	}
	if v.Get("_csrf") == "" {
		v.Set("_csrf", b.CSRF)
	}
	req, _ := http.NewRequest(http.MethodPost, b.abs(path), strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(req)
}

// PostMultipart submits a multipart form with one file part named "file".
func (b *Browser) PostMultipart(path string, v url.Values, fileName string, file []byte) *Response {
	b.T.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if v == nil {
		v = url.Values{}
	}
	if v.Get("_csrf") == "" {
		v.Set("_csrf", b.CSRF)
	}
	for k, vals := range v {
		for _, val := range vals {
			w.WriteField(k, val)
		}
	}
	if fileName != "" {
		fw, _ := w.CreateFormFile("file", fileName)
		fw.Write(file)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.abs(path), &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.Do(req)
}

func (b *Browser) abs(path string) string {
	if strings.HasPrefix(path, "http://") || strings.HasPrefix(path, "https://") {
		return path
	}
	return b.App.URL + path
}

// Cookie returns the value of a cookie the browser holds for the app.
func (b *Browser) Cookie(name string) string {
	u, _ := url.Parse(b.App.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}
