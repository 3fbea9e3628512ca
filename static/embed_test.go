package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func get(t *testing.T, url string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://signet.test/", nil)
	req.URL.Path = url // set directly: NewRequest would reject or clean some of the paths we probe
	req.RequestURI = url
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	return rec
}

func TestPathGivesHashedName(t *testing.T) {
	p := Path("js/app.js")
	if !regexp.MustCompile(`^/static/js/app\.[0-9a-f]{8}\.js$`).MatchString(p) {
		t.Fatalf("Path(js/app.js) = %q, want /static/js/app.<8 hex>.js", p)
	}
	if got := Path("/static/js/app.js"); got != p {
		t.Errorf("Path with /static/ prefix = %q, want %q", got, p)
	}
	p = Path("vendor/pdfjs/pdf.worker.min.mjs")
	if !regexp.MustCompile(`^/static/vendor/pdfjs/pdf\.worker\.min\.[0-9a-f]{8}\.mjs$`).MatchString(p) {
		t.Errorf("Path(pdf.worker.min.mjs) = %q", p)
	}
	if got := Path("js/nope.js"); got != "/static/js/nope.js" {
		t.Errorf("Path(unknown) = %q, want /static/js/nope.js", got)
	}
}

func TestEveryFileHasAnAsset(t *testing.T) {
	n := 0
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		if Path(p) == Prefix+p {
			t.Errorf("no hashed name for %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"css/app.css", "js/app.js", "js/pdf-viewer.js", "js/signature.js", "js/upload.js",
		"js/copy.js", "js/htmx-csrf.js", "img/logo.svg", "img/favicon.svg",
		"vendor/htmx/htmx.min.js", "vendor/pdfjs/pdf.min.mjs", "vendor/pdfjs/pdf.worker.min.mjs",
		"vendor/signature_pad/signature_pad.min.js",
	} {
		if _, ok := assets[want]; !ok {
			t.Errorf("missing asset %s", want)
		}
	}
	if n != len(assets) {
		t.Errorf("walked %d files, have %d assets", n, len(assets))
	}
}

func TestHandlerServesHashedAsset(t *testing.T) {
	cases := []struct{ name, ctype string }{
		{"js/app.js", "text/javascript; charset=utf-8"},
		{"vendor/pdfjs/pdf.min.mjs", "text/javascript; charset=utf-8"},
		{"vendor/pdfjs/pdf.worker.min.mjs", "text/javascript; charset=utf-8"},
		{"css/app.css", "text/css; charset=utf-8"},
		{"img/logo.svg", "image/svg+xml"},
		{"vendor/pdfjs/wasm/jbig2.wasm", "application/wasm"},
	}
	for _, c := range cases {
		rec := get(t, Path(c.name))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: status %d", c.name, rec.Code)
		}
		if got := rec.Header().Get("Content-Type"); got != c.ctype {
			t.Errorf("%s: Content-Type %q, want %q", c.name, got, c.ctype)
		}
		if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", c.name, got)
		}
		if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", c.name, got)
		}
		if !bytes.Equal(rec.Body.Bytes(), assets[c.name].data) {
			t.Errorf("%s: body differs from the asset", c.name)
		}
	}
}

func TestHandlerPlainNameIsNoCache(t *testing.T) {
	rec := get(t, "/static/vendor/pdfjs/pdf.min.mjs")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control %q, want no-cache", got)
	}
	etag := rec.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	rec = get(t, "/static/vendor/pdfjs/pdf.min.mjs", "If-None-Match", etag)
	if rec.Code != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", rec.Code)
	}
}

func TestHandlerStaleHashIsNotImmutable(t *testing.T) {
	rec := get(t, "/static/js/app.00000000.js")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if got := rec.Header().Get("Cache-Control"); got != "no-cache" {
		t.Errorf("Cache-Control %q, want no-cache for a stale hash", got)
	}
}

func TestHandlerNotFound(t *testing.T) {
	for _, p := range []string{
		"/static/js/nope.js",
		"/static/js/nope.3f9a1c2b.js",
		"/static/../embed.go",
		"/static/js/../embed.go",
		"/static/js/../../go.mod",
		"/static/embed.go",
		"/static/embed_test.go",
		"/static/README.md",
		"/static/",
		"/static/js",
		"/static/js/",
		"/static//js/app.js",
		"/static/./js/app.js",
		`/static/js\app.js`,
		"/other/js/app.js",
		"/embed.go",
	} {
		if rec := get(t, p); rec.Code != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, rec.Code)
		}
	}
}

func TestHandlerThroughRealServer(t *testing.T) {
	// A real client and server: the URL is sent as written (no client-side
	// cleaning), as an attacker's raw request would be.
	srv := httptest.NewServer(Handler())
	defer srv.Close()
	for _, p := range []string{"/static/../embed.go", "/static/%2e%2e/embed.go", "/static/js/%2e%2e/%2e%2e/go.mod"} {
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.Opaque = p
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || bytes.Contains(body, []byte("package static")) {
			t.Errorf("%s: status %d, body %.40q", p, resp.StatusCode, body)
		}
	}
	resp, err := srv.Client().Get(srv.URL + Path("js/app.js"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("hashed app.js through server: %d", resp.StatusCode)
	}
}

func TestHandlerMethods(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, Path("js/app.js"), nil)
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", rec.Code)
	}
	req = httptest.NewRequest(http.MethodHead, Path("js/app.js"), nil)
	rec = httptest.NewRecorder()
	Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d, body %d bytes", rec.Code, rec.Body.Len())
	}
}

func TestHandlerGzip(t *testing.T) {
	name := "vendor/pdfjs/pdf.worker.min.mjs"
	rec := get(t, Path(name), "Accept-Encoding", "gzip, deflate, br")
	if rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q", rec.Header().Get("Content-Encoding"))
	}
	if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q", rec.Header().Get("Vary"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, assets[name].data) {
		t.Error("gunzipped body differs from the asset")
	}
	if rec.Header().Get("ETag") == assets[name].etag {
		t.Error("gzip and identity responses share an ETag")
	}
	rec = get(t, Path(name), "Accept-Encoding", "gzip;q=0")
	if rec.Header().Get("Content-Encoding") != "" || !bytes.Equal(rec.Body.Bytes(), assets[name].data) {
		t.Error("gzip;q=0 still got gzip")
	}
	rec = get(t, Path("vendor/pdfjs/wasm/jbig2.wasm"), "Accept-Encoding", "gzip")
	if rec.Code != http.StatusOK {
		t.Errorf("wasm: %d", rec.Code)
	}
}

func TestAcceptsGzip(t *testing.T) {
	for h, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"GZIP":                 true,
		"br, gzip;q=0.8":       true,
		"gzip;q=0":             false,
		"gzip; q=0.000":        false,
		"deflate, br":          false,
		"*":                    true,
		"identity, x-gzip;q=1": true,
	} {
		if got := acceptsGzip(h); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", h, got, want)
		}
	}
}

func TestHashedNameRoundTrip(t *testing.T) {
	for _, n := range []string{"js/app.js", "vendor/pdfjs/pdf.worker.min.mjs", "vendor/htmx/LICENSE", "img/logo.svg"} {
		h := hashedName(n, "0123abcd")
		plain, hash, ok := stripHash(h)
		if !ok || plain != n || hash != "0123abcd" {
			t.Errorf("%s → %s → (%q, %q, %v)", n, h, plain, hash, ok)
		}
	}
	if _, _, ok := stripHash("vendor/pdfjs/pdf.min.mjs"); ok {
		t.Error("stripHash accepted an unhashed name")
	}
}

func TestModuleImportsAreRewrittenToHashedNames(t *testing.T) {
	fsys := fstest.MapFS{
		"js/a.js":        {Data: []byte(`import { b } from "./b.js";` + "\n" + `const c = () => import('./sub/c.js');` + "\nimport \"./missing.js\";\n")},
		"js/b.js":        {Data: []byte(`export const b = 1; import("./a.js");`)}, // cycle a → b → a
		"js/sub/c.js":    {Data: []byte(`export default 3;`)},
		"vendor/x/v.js":  {Data: []byte(`import "./w.js";`)},
		"vendor/x/w.js":  {Data: []byte(`export {};`)},
		"css/unused.css": {Data: []byte(`body{}`)},
	}
	as, byHash := load(fsys)
	a, b, c := as["js/a.js"], as["js/b.js"], as["js/sub/c.js"]
	want := `import { b } from "./` + strings.TrimPrefix(b.hashed, "js/") + `";`
	if !strings.Contains(string(a.data), want) {
		t.Errorf("a.js = %s\nwant it to contain %s", a.data, want)
	}
	if !strings.Contains(string(a.data), `import('./sub/`+strings.TrimPrefix(c.hashed, "js/sub/")+`')`) {
		t.Errorf("dynamic import not rewritten: %s", a.data)
	}
	if !strings.Contains(string(a.data), `import "./missing.js"`) {
		t.Errorf("unknown import was changed: %s", a.data)
	}
	if string(b.data) != `export const b = 1; import("./a.js");` {
		t.Errorf("cyclic import should keep the plain name, got %s", b.data)
	}
	if string(as["vendor/x/v.js"].data) != `import "./w.js";` {
		t.Error("vendor files must be served unmodified")
	}
	if h, _ := contentHash(a.data); h != a.hash {
		t.Error("hash does not cover the rewritten content")
	}
	if byHash[a.hashed] != a {
		t.Error("hashed index missing")
	}
	// Changing a dependency changes the importer's hash.
	fsys["js/sub/c.js"] = &fstest.MapFile{Data: []byte(`export default 4;`)}
	as2, _ := load(fsys)
	if as2["js/a.js"].hash == a.hash {
		t.Error("importer hash did not change with its dependency")
	}
	if as2["js/b.js"].hash != b.hash {
		t.Error("unrelated module hash changed")
	}
}

func TestRealAppModuleImportsHashedModules(t *testing.T) {
	app := string(assets["js/app.js"].data)
	for _, m := range []string{"pdf-viewer.js", "signature.js", "upload.js", "copy.js", "htmx-csrf.js"} {
		hashed := strings.TrimPrefix(Path("js/"+m), "/static/js/")
		if !strings.Contains(app, `"./`+hashed+`"`) {
			t.Errorf("app.js does not import %s as ./%s", m, hashed)
		}
	}
}
