package storage

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// fakeS3 is gofakes3 served over real HTTP on 127.0.0.1, so minio-go holds a
// genuine conversation with it. It records each request's method, path and
// headers, and can be told to hang on some requests.
type fakeS3 struct {
	srv     *httptest.Server
	backend *s3mem.Backend

	mu   sync.Mutex
	reqs []recordedRequest
	hang func(*http.Request) bool
	stop chan struct{} // closed at cleanup, releasing hung requests
}

type recordedRequest struct {
	Method, Path string
	Header       http.Header
}

func newFakeS3(t *testing.T, buckets ...string) *fakeS3 {
	t.Helper()
	f := &fakeS3{backend: s3mem.New(), stop: make(chan struct{})}
	for _, b := range buckets {
		if err := f.backend.CreateBucket(b); err != nil {
			t.Fatal(err)
		}
	}
	s3 := gofakes3.New(f.backend).Server()
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.reqs = append(f.reqs, recordedRequest{r.Method, r.URL.Path, r.Header.Clone()})
		hang := f.hang != nil && f.hang(r)
		f.mu.Unlock()
		if hang {
			// Read the body so the server notices the client hanging up, then
			// wait for that (or for the test to end).
			io.Copy(io.Discard, r.Body)
			select {
			case <-r.Context().Done():
			case <-f.stop:
			}
			return
		}
		s3.ServeHTTP(w, r)
	}))
	t.Cleanup(f.srv.Close)
	t.Cleanup(func() { close(f.stop) }) // runs first: cleanups are last-in, first-out
	return f
}

func (f *fakeS3) hostPort() string { return strings.TrimPrefix(f.srv.URL, "http://") }

// url is a SIGNET_STORAGE_URL for this server; extra is appended to the query.
func (f *fakeS3) url(bucketAndPrefix, extra string) string {
	u := "s3://" + bucketAndPrefix + "?endpoint=" + f.hostPort() + "&secure=false&region=us-east-1&access_key=AKTEST&secret_key=" + url.QueryEscape(testSecret)
	if extra != "" {
		u += "&" + extra
	}
	return u
}

func (f *fakeS3) requests(method string) []recordedRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []recordedRequest
	for _, r := range f.reqs {
		if r.Method == method {
			out = append(out, r)
		}
	}
	return out
}

// testSecret has characters that need escaping, so every spelling of it is
// checked for in error messages.
const testSecret = "Sup3r/Secret+Key=Xy"

// --- The same behaviour from every backend ---------------------------------

type backendCase struct {
	name string
	open func(t *testing.T) Blobs
}

func backends() []backendCase {
	return []backendCase{
		{"local", func(t *testing.T) Blobs {
			s, err := Open("", t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"local-file-url", func(t *testing.T) Blobs {
			s, err := Open("file://"+t.TempDir(), "")
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"s3", func(t *testing.T) Blobs {
			f := newFakeS3(t, "signet")
			s, err := Open(f.url("signet", ""), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
		{"s3-with-prefix", func(t *testing.T) Blobs {
			f := newFakeS3(t, "signet")
			s, err := Open(f.url("signet/tenant-a/blobs", ""), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return s
		}},
	}
}

func TestBlobsBehaveAlikeOnEveryBackend(t *testing.T) {
	big := make([]byte, 3<<20+17) // a multi-megabyte scan, not a multiple of any buffer
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	allBytes := make([]byte, 256)
	for i := range allBytes {
		allBytes[i] = byte(i)
	}

	for _, bc := range backends() {
		t.Run(bc.name, func(t *testing.T) {
			ctx := context.Background()

			t.Run("round trip", func(t *testing.T) {
				s := bc.open(t)
				for key, data := range map[string][]byte{
					"docs/a/original.pdf": []byte("%PDF-1.7 original"),
					"docs/a/signed.pdf":   big,
					"raw.bin":             allBytes,
					"empty.pdf":           {},
				} {
					if err := s.Put(ctx, key, data); err != nil {
						t.Fatalf("Put(%q): %v", key, err)
					}
					got, err := s.Get(ctx, key)
					if err != nil {
						t.Fatalf("Get(%q): %v", key, err)
					}
					if !bytes.Equal(got, data) {
						t.Fatalf("Get(%q) returned %d bytes that differ from the %d put", key, len(got), len(data))
					}
				}
			})

			t.Run("missing key is ErrNotFound", func(t *testing.T) {
				s := bc.open(t)
				if _, err := s.Get(ctx, "docs/missing.pdf"); !errors.Is(err, ErrNotFound) {
					t.Fatalf("Get(missing) = %v, want ErrNotFound", err)
				}
				// A sibling of a stored key is still missing.
				if err := s.Put(ctx, "docs/b/original.pdf", []byte("%PDF-")); err != nil {
					t.Fatal(err)
				}
				if _, err := s.Get(ctx, "docs/b"); !errors.Is(err, ErrNotFound) {
					t.Fatalf("Get(prefix of a key) = %v, want ErrNotFound", err)
				}
				if err := s.Delete(ctx, "docs/b"); err != nil {
					t.Fatalf("Delete(prefix of a key) = %v, want nil", err)
				}
				if got, err := s.Get(ctx, "docs/b/original.pdf"); err != nil || string(got) != "%PDF-" {
					t.Fatalf("Delete(prefix of a key) touched the key below it: Get = %q, %v", got, err)
				}
			})

			t.Run("delete", func(t *testing.T) {
				s := bc.open(t)
				if err := s.Put(ctx, "docs/c/original.pdf", []byte("%PDF-1.4")); err != nil {
					t.Fatal(err)
				}
				if err := s.Put(ctx, "docs/c/keep.pdf", []byte("%PDF-keep")); err != nil {
					t.Fatal(err)
				}
				if err := s.Delete(ctx, "docs/c/original.pdf"); err != nil {
					t.Fatalf("Delete: %v", err)
				}
				if _, err := s.Get(ctx, "docs/c/original.pdf"); !errors.Is(err, ErrNotFound) {
					t.Fatalf("deleted blob: Get = %v, want ErrNotFound", err)
				}
				if got, err := s.Get(ctx, "docs/c/keep.pdf"); err != nil || string(got) != "%PDF-keep" {
					t.Fatalf("Delete touched a neighbour: Get = %q, %v", got, err)
				}
				if err := s.Delete(ctx, "docs/c/original.pdf"); err != nil {
					t.Fatalf("second Delete = %v, want nil", err)
				}
				if err := s.Delete(ctx, "never/existed.pdf"); err != nil {
					t.Fatalf("Delete(never existed) = %v, want nil", err)
				}
			})

			t.Run("bad keys refused", func(t *testing.T) {
				s := bc.open(t)
				for _, bad := range []string{
					"", "../x", "/etc/passwd", "a/../../b", "a/..", "..", "docs/", "docs//a.pdf",
					`docs\a.pdf`, "docs/a b.pdf", "docs/a?.pdf", "docs/%2e%2e/x", "docs/a.pdf\x00", "dócs/a.pdf",
				} {
					if err := s.Put(ctx, bad, []byte("x")); err == nil || !strings.Contains(err.Error(), "invalid key") {
						t.Errorf("Put(%q) = %v, want an invalid-key error", bad, err)
					}
					if _, err := s.Get(ctx, bad); err == nil || errors.Is(err, ErrNotFound) {
						t.Errorf("Get(%q) = %v, want an invalid-key error", bad, err)
					}
					if err := s.Delete(ctx, bad); err == nil {
						t.Errorf("Delete(%q) accepted a bad key", bad)
					}
				}
			})

			t.Run("overwrite", func(t *testing.T) {
				s := bc.open(t)
				if err := s.Put(ctx, "docs/d/original.pdf", []byte("%PDF-first, longer version")); err != nil {
					t.Fatal(err)
				}
				if err := s.Put(ctx, "docs/d/original.pdf", []byte("%PDF-second")); err != nil {
					t.Fatal(err)
				}
				got, err := s.Get(ctx, "docs/d/original.pdf")
				if err != nil || string(got) != "%PDF-second" {
					t.Fatalf("after overwrite Get = %q, %v; want the second version whole", got, err)
				}
			})
		})
	}
}

// --- S3 specifics ----------------------------------------------------------

func TestS3StoresUnderPrefixWithContentTypeAndMD5(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "signet")
	s, err := Open(f.url("signet/tenant-a/", ""), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "docs/a/original.pdf", []byte("%PDF-1.7")); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, "docs/a/signature.png", []byte("\x89PNG")); err != nil {
		t.Fatal(err)
	}

	obj, err := f.backend.HeadObject("signet", "tenant-a/docs/a/original.pdf")
	if err != nil {
		t.Fatalf("object not stored under the prefix: %v", err)
	}
	if ct := obj.Metadata["Content-Type"]; ct != "application/pdf" {
		t.Errorf("Content-Type of the PDF = %q, want application/pdf", ct)
	}
	png, err := f.backend.HeadObject("signet", "tenant-a/docs/a/signature.png")
	if err != nil {
		t.Fatal(err)
	}
	if ct := png.Metadata["Content-Type"]; ct != "application/octet-stream" {
		t.Errorf("Content-Type of a non-PDF = %q, want application/octet-stream", ct)
	}
	if _, err := f.backend.HeadObject("signet", "docs/a/original.pdf"); err == nil {
		t.Error("object also stored outside the prefix")
	}

	puts := f.requests(http.MethodPut)
	if len(puts) != 2 {
		t.Fatalf("saw %d PUTs, want 2 (one single-request upload per blob)", len(puts))
	}
	for _, r := range puts {
		if r.Path != "/signet/tenant-a/docs/a/original.pdf" && r.Path != "/signet/tenant-a/docs/a/signature.png" {
			t.Errorf("PUT path %q: want path-style /bucket/prefix/key", r.Path)
		}
		if r.Header.Get("Content-Md5") == "" {
			t.Errorf("PUT %s carried no Content-MD5 for the server to check", r.Path)
		}
		if auth := r.Header.Get("Authorization"); !strings.Contains(auth, "Credential=AKTEST/") {
			t.Errorf("PUT not signed with the URL's access key: %q", auth)
		}
		if strings.Contains(r.Header.Get("Authorization"), testSecret) {
			t.Error("secret key sent in the clear")
		}
	}
}

// corruptingTransport changes one byte of an upload after the client has
// computed its Content-MD5, as a faulty network or proxy might.
type corruptingTransport struct{ from, to []byte }

func (c corruptingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodPut && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			return nil, err
		}
		body = bytes.Replace(body, c.from, c.to, 1)
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestS3ServerRejectsCorruptedUpload(t *testing.T) {
	ctx := context.Background()
	f := newFakeS3(t, "signet")
	cfg := s3Config{Bucket: "signet", Endpoint: f.hostPort(), Region: "us-east-1", AccessKey: "AKTEST", SecretKey: testSecret, Timeout: 10 * time.Second}
	s, err := newS3(cfg, s3Deps{transport: corruptingTransport{[]byte("original"), []byte("0riginal")}})
	if err != nil {
		t.Fatal(err)
	}
	err = s.Put(ctx, "docs/a/original.pdf", []byte("%PDF-1.7 the original bytes"))
	if err == nil {
		t.Fatal("Put succeeded although the bytes changed on the way")
	}
	if er := (minio.ErrorResponse{}); !errors.As(err, &er) || er.Code != "BadDigest" {
		t.Errorf("Put error = %v, want the server's BadDigest (Content-MD5 mismatch)", err)
	}
	if _, err := f.backend.HeadObject("signet", "docs/a/original.pdf"); err == nil {
		t.Fatal("the corrupted object was stored")
	}
}

func TestS3OperationTimeout(t *testing.T) {
	f := newFakeS3(t, "signet")
	s, err := Open(f.url("signet", "timeout=300ms"), "")
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	f.hang = func(r *http.Request) bool { return r.Method != http.MethodHead }
	f.mu.Unlock()

	start := time.Now()
	err = s.Put(context.Background(), "docs/a/original.pdf", []byte("%PDF-"))
	if err == nil {
		t.Fatal("Put against a hanging server succeeded")
	}
	if !errors.Is(err, context.DeadlineExceeded) && !strings.Contains(err.Error(), "deadline exceeded") {
		t.Errorf("Put error = %v, want a deadline error", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Put took %v with timeout=300ms", elapsed)
	}

	// The caller's own, shorter deadline wins too.
	s.(*S3).timeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start = time.Now()
	if _, err := s.Get(ctx, "docs/a/original.pdf"); err == nil || errors.Is(err, ErrNotFound) {
		t.Fatalf("Get against a hanging server = %v, want a deadline error", err)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Get ignored the caller's deadline: took %v", elapsed)
	}
}

func TestS3CredentialsFromEnvironment(t *testing.T) {
	f := newFakeS3(t, "signet")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKFROMENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "env-secret")
	s, err := Open("s3://signet?endpoint="+f.hostPort()+"&secure=false&region=us-east-1", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(context.Background(), "a.pdf", []byte("%PDF-")); err != nil {
		t.Fatal(err)
	}
	puts := f.requests(http.MethodPut)
	if len(puts) != 1 || !strings.Contains(puts[0].Header.Get("Authorization"), "Credential=AKFROMENV/") {
		t.Fatalf("PUT not signed with AWS_ACCESS_KEY_ID: %+v", puts)
	}
}

func TestS3WithoutRegionDiscoversIt(t *testing.T) {
	f := newFakeS3(t, "signet")
	u := "s3://signet?endpoint=" + f.hostPort() + "&secure=false&access_key=AKTEST&secret_key=" + url.QueryEscape(testSecret)
	s, err := Open(u, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Put(context.Background(), "a.pdf", []byte("%PDF-")); err != nil {
		t.Fatal(err)
	}
	if got, err := s.Get(context.Background(), "a.pdf"); err != nil || string(got) != "%PDF-" {
		t.Fatalf("Get = %q, %v", got, err)
	}
}

func TestS3RefusesToRunWithoutCredentials(t *testing.T) {
	f := newFakeS3(t, "signet")
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_ACCESS_KEY", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SECRET_KEY", "")
	cfg := s3Config{Bucket: "signet", Endpoint: f.hostPort(), Region: "us-east-1", Timeout: 5 * time.Second}
	// Only the environment provider: the IAM one would reach for the
	// cloud metadata address, which tests must not touch.
	_, err := newS3(cfg, s3Deps{providers: []credentials.Provider{&credentials.EnvAWS{}}})
	if err == nil || !strings.Contains(err.Error(), "no S3 credentials") || !strings.Contains(err.Error(), "AWS_ACCESS_KEY_ID") {
		t.Fatalf("newS3 without credentials = %v, want a clear no-credentials error", err)
	}
	if n := len(f.requests(http.MethodHead)) + len(f.requests(http.MethodGet)); n != 0 {
		t.Errorf("sent %d anonymous requests before refusing", n)
	}
}

// --- SIGNET_STORAGE_URL parsing --------------------------------------------

func TestParseS3URLAcceptsGoodURLs(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want s3Config
	}{
		{"s3://signet", s3Config{Bucket: "signet", Secure: true, Timeout: DefaultS3Timeout}},
		{"s3://signet/", s3Config{Bucket: "signet", Secure: true, Timeout: DefaultS3Timeout}},
		{"s3://signet-pdfs/prod/blobs/?region=eu-west-1", s3Config{Bucket: "signet-pdfs", Prefix: "prod/blobs", Region: "eu-west-1", Secure: true, Timeout: DefaultS3Timeout}},
		{"s3://b.example?endpoint=127.0.0.1:9&region=us-east-1&secure=false&access_key=AK&secret_key=a%2Fb%2Bc%3Dd&timeout=2m",
			s3Config{Bucket: "b.example", Endpoint: "127.0.0.1:9", Region: "us-east-1", AccessKey: "AK", SecretKey: "a/b+c=d", Timeout: 2 * time.Minute}},
		// An unescaped '+' in a secret stays a '+' (AWS secrets contain them).
		{"s3://signet?endpoint=s3.example.com&access_key=AK&secret_key=a/b+c=d", s3Config{Bucket: "signet", Endpoint: "s3.example.com", Secure: true, AccessKey: "AK", SecretKey: "a/b+c=d", Timeout: DefaultS3Timeout}},
		{"S3://signet?secure=true&", s3Config{Bucket: "signet", Secure: true, Timeout: DefaultS3Timeout}},
	} {
		u, err := url.Parse(tc.raw)
		if err != nil {
			t.Fatalf("%s: %v", tc.raw, err)
		}
		got, err := parseS3URL(u)
		if err != nil {
			t.Errorf("parseS3URL(%q): %v", tc.raw, err)
			continue
		}
		if got != tc.want {
			t.Errorf("parseS3URL(%q)\n got  %+v\n want %+v", tc.raw, got, tc.want)
		}
	}
}

func TestOpenRefusesBadS3URLsWithoutLeakingTheSecret(t *testing.T) {
	esc := url.QueryEscape(testSecret)
	sk := "&access_key=AK&secret_key=" + esc
	for _, tc := range []struct{ raw, wantInErr string }{
		{"s3://?endpoint=127.0.0.1:9" + sk, "names no bucket"},
		{"s3:///prefix?endpoint=127.0.0.1:9" + sk, "names no bucket"},
		{"s3:signet?endpoint=127.0.0.1:9" + sk, "s3://"},
		{"s3://ab?endpoint=127.0.0.1:9" + sk, "invalid S3 bucket name"},
		{"s3://bad..bucket?endpoint=127.0.0.1:9" + sk, "invalid S3 bucket name"},
		{"s3://127.0.0.1:9/signet?" + sk[1:], "bucket name, not a server"},
		{"s3://signet/../x?endpoint=127.0.0.1:9" + sk, "invalid S3 key prefix"},
		{"s3://signet?endpiont=127.0.0.1:9" + sk, `unknown SIGNET_STORAGE_URL parameter "endpiont"`},
		{"s3://signet?endpoint=127.0.0.1:9&sse=none" + sk, `unknown SIGNET_STORAGE_URL parameter "sse"`},
		{"s3://signet?endpoint=127.0.0.1:9&secret=" + esc + "&access_key=AK", `unknown SIGNET_STORAGE_URL parameter "secret"`},
		{"s3://signet?endpoint=127.0.0.1:9&Secure=false" + sk, `unknown SIGNET_STORAGE_URL parameter "Secure"`},
		{"s3://signet?endpoint=127.0.0.1:9&secure=no" + sk, "want true or false"},
		{"s3://signet?endpoint=127.0.0.1:9&secure=false&secure=true" + sk, "more than once"},
		{"s3://signet?endpoint=127.0.0.1:9&region=" + sk, `"region" is empty`},
		{"s3://signet?endpoint=127.0.0.1:9&region" + sk, `"region" has no value`},
		{"s3://signet?endpoint=http://127.0.0.1:9" + sk, "without scheme"},
		{"s3://signet?endpoint=127.0.0.1:9/path" + sk, "without scheme or path"},
		{"s3://signet?secure=false" + sk, "only allowed together with an explicit endpoint"},
		{"s3://signet?endpoint=127.0.0.1:9&timeout=soon" + sk, "positive duration"},
		{"s3://signet?endpoint=127.0.0.1:9&timeout=-1s" + sk, "positive duration"},
		{"s3://signet?endpoint=127.0.0.1:9&access_key=AK", "both access_key and secret_key"},
		{"s3://signet?endpoint=127.0.0.1:9&secret_key=" + esc, "both access_key and secret_key"},
		{"s3://AK:" + esc + "@signet?endpoint=127.0.0.1:9", "user:password@"},
		// Secrets written without escaping, broken by URL syntax.
		{"s3://signet?endpoint=127.0.0.1:9&access_key=AK&secret_key=Sup3r/Secret+Key=Xy&x7Q", "malformed or unknown query parameter"},
		{"s3://signet?endpoint=127.0.0.1:9&access_key=AK&secret_key=Sup3r/Secret+Key=Xy&x7Q=1", "malformed or unknown query parameter"},
		{"s3://signet?endpoint=127.0.0.1:9&access_key=AK&secret_key=Sup3r/Secret+Key=Xy&abc=1", "malformed or unknown query parameter"},
		{"s3://signet?endpoint=127.0.0.1:9&access_key=AK&secret_key=Sup3r/Secret+Key=Xy#x7Q", "contains '#'"},
		{"s3://signet?endpoint=127.0.0.1:9&access_key=AK&secret_key=Sup3r/Secret+Key=Xy%zz", "invalid %-escape"},
		{"s3://sig%zznet?endpoint=127.0.0.1:9&access_key=AK&secret_key=Sup3r/Secret+Key=Xy", "not a valid URL"},
		{"ftp://signet?secret_key=Sup3r/Secret+Key=Xy", "unsupported SIGNET_STORAGE_URL scheme"},
	} {
		_, err := Open(tc.raw, t.TempDir())
		if err == nil {
			t.Errorf("Open(%q) succeeded", tc.raw)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tc.wantInErr) {
			t.Errorf("Open(%q) = %q, want it to mention %q", tc.raw, msg, tc.wantInErr)
		}
		assertNoSecret(t, msg)
	}
}

func assertNoSecret(t *testing.T, msg string) {
	t.Helper()
	for _, spelling := range []string{testSecret, url.QueryEscape(testSecret), url.PathEscape(testSecret), "Secret+Key", "Secret Key", "Secret%2BKey", "x7Q"} {
		if strings.Contains(msg, spelling) {
			t.Errorf("error leaks the secret (%q): %s", spelling, msg)
		}
	}
}

func TestOpenFailsClearlyWhenBucketIsMissing(t *testing.T) {
	f := newFakeS3(t, "other-bucket")
	_, err := Open(f.url("signet", ""), "")
	if err == nil {
		t.Fatal("Open succeeded for a bucket that does not exist")
	}
	if !strings.Contains(err.Error(), `S3 bucket "signet" does not exist`) {
		t.Errorf("error = %q, want it to say the bucket does not exist", err)
	}
	assertNoSecret(t, err.Error())
	if ok, _ := f.backend.BucketExists("signet"); ok {
		t.Error("Open created the missing bucket")
	}
	if n := len(f.requests(http.MethodPut)); n != 0 {
		t.Errorf("Open sent %d PUT requests; it must not create anything", n)
	}
}

func TestOpenFailsClearlyWhenEndpointIsUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now

	u := "s3://signet?endpoint=" + addr + "&secure=false&region=us-east-1&timeout=1500ms&access_key=AK&secret_key=" + url.QueryEscape(testSecret)
	start := time.Now()
	_, err = Open(u, "")
	if err == nil {
		t.Fatal("Open succeeded with nothing listening")
	}
	if !strings.Contains(err.Error(), `unable to check S3 bucket "signet"`) {
		t.Errorf("error = %q, want it to name the bucket check", err)
	}
	assertNoSecret(t, err.Error())
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("Open took %v with timeout=1500ms", elapsed)
	}
}

func TestS3StringHasNoCredentials(t *testing.T) {
	f := newFakeS3(t, "signet")
	s, err := Open(f.url("signet/p", ""), "")
	if err != nil {
		t.Fatal(err)
	}
	str := s.(interface{ String() string }).String()
	if !strings.Contains(str, "s3://signet/p/") || !strings.Contains(str, f.hostPort()) {
		t.Errorf("String() = %q, want bucket, prefix and endpoint", str)
	}
	assertNoSecret(t, str)
	if strings.Contains(str, "AKTEST") {
		t.Errorf("String() = %q names the access key", str)
	}
}

func TestRedactCutsEverySpellingOfTheSecret(t *testing.T) {
	raw := "endpoint=127.0.0.1:9&secret_key=" + url.QueryEscape(testSecret) + "&access_key=AK"
	secrets := secretsIn(raw)
	for _, spelling := range []string{testSecret, url.QueryEscape(testSecret)} {
		orig := errors.New("storage: boom near " + spelling + " and again " + spelling)
		err := redact(orig, secrets)
		assertNoSecret(t, err.Error())
		if !strings.Contains(err.Error(), "[REDACTED]") {
			t.Errorf("redact(%q) = %q, want a [REDACTED] marker", orig, err)
		}
		if errors.Unwrap(err) != nil {
			t.Error("a redacted error unwraps to the original, which still holds the secret")
		}
	}
	clean := errors.New("storage: nothing secret here")
	if got := redact(clean, secrets); got != clean {
		t.Errorf("redact changed an error without secrets: %v", got)
	}
}
