// Package static embeds Signet's front-end assets (css/, js/, vendor/, img/)
// and serves them under /static/ with content-hashed, cache-busting names.
//
// Path("js/app.js") returns "/static/js/app.3f9a1c2b.js"; Handler serves that
// URL with "Cache-Control: public, max-age=31536000, immutable". The plain
// name ("/static/js/app.js") is served too, with "Cache-Control: no-cache" and
// an ETag, so files that are referenced by a fixed name (pdf.js' wasm/ folder)
// still revalidate cheaply.
//
// Relative ES-module imports between our own modules in js/ (import "./x.js",
// import("./x.js"), export … from "./x.js") are rewritten at init to the hashed
// names of their targets, and the importer's hash covers the rewritten text, so
// a change in any module busts the cache of every module that imports it.
//
// Text assets are gzip-compressed lazily, once, and served with
// "Content-Encoding: gzip" to clients that accept it: do not put another
// compression middleware in front of /static/.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// FS is the embedded tree.
//
//go:embed css js vendor img
var FS embed.FS

// Prefix is the URL prefix under which Handler serves the assets.
const Prefix = "/static/"

const (
	cacheImmutable  = "public, max-age=31536000, immutable"
	cacheRevalidate = "no-cache"
)

type asset struct {
	name   string // "js/app.js"
	hashed string // "js/app.3f9a1c2b.js"
	hash   string // "3f9a1c2b"
	etag   string // strong validator over the served bytes
	ctype  string
	data   []byte // served bytes (imports rewritten for js/ modules)

	gzOnce sync.Once
	gz     []byte // nil when not worth compressing
}

var (
	assets   map[string]*asset // by plain name
	byHashed map[string]*asset // by hashed name
)

func init() {
	assets, byHashed = load(FS)
}

// Path returns the public URL for an asset with its content hash, e.g.
// Path("js/signer.js") → "/static/js/signer.3f9a1c2b.js". A leading "/" or
// "/static/" is ignored. Unknown names yield "/static/"+name (never a panic),
// so a typo shows up as a 404 in the browser rather than a crashed page.
func Path(name string) string {
	name = strings.TrimPrefix(name, Prefix)
	name = strings.TrimPrefix(name, "/")
	if a, ok := assets[name]; ok {
		return Prefix + a.hashed
	}
	return Prefix + name
}

// Handler serves "/static/…" URLs: it strips the content hash, serves the
// file with the right Content-Type (.mjs → text/javascript), the immutable
// cache header for hashed names (whose hash matches the current content) and
// "no-cache" otherwise, and 404 for anything that is not an embedded file.
// GET and HEAD only; conditional and range requests are honoured.
func Handler() http.Handler {
	return http.HandlerFunc(serve)
}

func serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	if !ok || !fs.ValidPath(name) || strings.Contains(name, `\`) {
		http.NotFound(w, r)
		return
	}
	a, immutable := lookup(name)
	if a == nil {
		http.NotFound(w, r)
		return
	}

	h := w.Header()
	h.Set("Content-Type", a.ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	if immutable {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cacheRevalidate)
	}

	body, etag := a.data, a.etag
	if compressible(a.ctype) {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			if gz := a.gzipped(); gz != nil {
				body, etag = gz, strings.TrimSuffix(a.etag, `"`)+`-gz"`
				h.Set("Content-Encoding", "gzip")
			}
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// lookup finds the asset for a request name: the plain name first, then a
// hashed name. immutable is true only when the hash in the URL is the hash of
// the current content; a stale hash still gets the current file, revalidated.
func lookup(name string) (a *asset, immutable bool) {
	if a, ok := byHashed[name]; ok {
		return a, true
	}
	if a, ok := assets[name]; ok {
		return a, false
	}
	plain, hash, ok := stripHash(name)
	if !ok {
		return nil, false
	}
	if a, ok := assets[plain]; ok {
		return a, a.hash == hash
	}
	return nil, false
}

// hashedName inserts hash before the last extension: "js/a.js" → "js/a.<h>.js",
// "vendor/pdfjs/pdf.min.mjs" → "vendor/pdfjs/pdf.min.<h>.mjs", "LICENSE" → "LICENSE.<h>".
func hashedName(name, hash string) string {
	dir, base := path.Split(name)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return dir + base[:i] + "." + hash + base[i:]
	}
	return dir + base + "." + hash
}

// stripHash is the inverse of hashedName for names that carry an 8-hex hash.
func stripHash(name string) (plain, hash string, ok bool) {
	dir, base := path.Split(name)
	stem, ext := base, ""
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		stem, ext = base[:i], base[i:]
	}
	i := strings.LastIndexByte(stem, '.')
	if i <= 0 || !isHash(stem[i+1:]) {
		// extension-less file: "LICENSE.<h>"
		if ext != "" && isHash(ext[1:]) {
			return dir + stem, ext[1:], true
		}
		return "", "", false
	}
	return dir + stem[:i] + ext, stem[i+1:], true
}

const hashLen = 8

func isHash(s string) bool {
	if len(s) != hashLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func contentHash(b []byte) (short, etag string) {
	sum := sha256.Sum256(b)
	full := hex.EncodeToString(sum[:])
	return full[:hashLen], `"` + full[:32] + `"`
}

// importRe matches relative module specifiers in import/export statements and
// dynamic import() calls: group 1 is everything before the specifier's quote,
// group 3 the specifier.
var importRe = regexp.MustCompile(`(\bimport\s*\(\s*|\bfrom\s*|\bimport\s*)(["'])(\.\.?/[^"'\s]+?\.m?js)["']`)

func isModuleSource(name string) bool {
	return strings.HasPrefix(name, "js/") && (strings.HasSuffix(name, ".js") || strings.HasSuffix(name, ".mjs"))
}

// load reads every embedded file, rewrites our modules' relative imports to
// hashed names (dependencies first) and computes the hashes.
func load(fsys fs.FS) (map[string]*asset, map[string]*asset) {
	raw := map[string][]byte{}
	_ = fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil
		}
		raw[p] = b
		return nil
	})

	out := make(map[string]*asset, len(raw))
	state := map[string]int{} // 0 new, 1 in progress, 2 done
	var finish func(name string)
	finish = func(name string) {
		if state[name] != 0 {
			return
		}
		state[name] = 1
		data := raw[name]
		if isModuleSource(name) {
			dir := path.Dir(name)
			data = importRe.ReplaceAllFunc(data, func(m []byte) []byte {
				sub := importRe.FindSubmatch(m)
				spec := string(sub[3])
				target := path.Join(dir, spec)
				if _, ok := raw[target]; !ok {
					return m
				}
				finish(target)
				t, ok := out[target]
				if !ok { // import cycle: keep the plain name
					return m
				}
				newSpec := spec[:strings.LastIndexByte(spec, '/')+1] + path.Base(t.hashed)
				return bytes.Replace(m, sub[3], []byte(newSpec), 1)
			})
		}
		h, etag := contentHash(data)
		out[name] = &asset{
			name:   name,
			hashed: hashedName(name, h),
			hash:   h,
			etag:   etag,
			ctype:  contentType(name),
			data:   data,
		}
		state[name] = 2
	}
	names := make([]string, 0, len(raw))
	for n := range raw {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		finish(n)
	}

	hashed := make(map[string]*asset, len(out))
	for _, a := range out {
		hashed[a.hashed] = a
	}
	return out, hashed
}

var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".jpg":   "image/jpeg",
	".ico":   "image/x-icon",
	".webp":  "image/webp",
	".woff2": "font/woff2",
	".wasm":  "application/wasm",
	".txt":   "text/plain; charset=utf-8",
	".md":    "text/plain; charset=utf-8",
	".pdf":   "application/pdf",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ext == "" { // LICENSE, VERSION
		return "text/plain; charset=utf-8"
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") ||
		strings.HasPrefix(ctype, "application/json") ||
		strings.HasPrefix(ctype, "image/svg+xml") ||
		strings.HasPrefix(ctype, "application/wasm")
}

// gzipped compresses the asset on first use; it returns nil when compression
// does not save at least 10%.
func (a *asset) gzipped() []byte {
	a.gzOnce.Do(func() {
		if len(a.data) < 512 {
			return
		}
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if err != nil {
			return
		}
		if _, err := zw.Write(a.data); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		if buf.Len() < len(a.data)*9/10 {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.ToLower(params), " ", "")
		if strings.HasPrefix(q, "q=0") && strings.Trim(strings.TrimPrefix(q, "q=0"), ".0") == "" {
			return false
		}
		return true
	}
	return false
}
