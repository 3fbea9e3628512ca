package testapp

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// S3Gate is an in-memory S3 server (gofakes3 over real HTTP) that can hold back reads of chosen
// objects, so a test can keep a job that reads them running for as long as it needs.
type S3Gate struct {
	srv     *httptest.Server
	closed  atomic.Bool
	match   string
	mu      sync.Mutex
	waiting int // reads held back right now
	release chan struct{}
}

// NewS3Gate starts the server with one bucket; reads of keys containing match are held while the
// gate is closed (until the client hangs up or the gate opens).
func NewS3Gate(t testing.TB, bucket, match string) *S3Gate {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	g := &S3Gate{match: match, release: make(chan struct{})}
	s3 := gofakes3.New(backend).Server()
	g.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && strings.Contains(r.URL.Path, g.match) && g.closed.Load() {
			io.Copy(io.Discard, r.Body)
			g.mu.Lock()
			g.waiting++
			release := g.release
			g.mu.Unlock()
			select {
			case <-r.Context().Done():
			case <-release:
			}
			g.mu.Lock()
			g.waiting--
			g.mu.Unlock()
			if r.Context().Err() != nil {
				return
			}
		}
		s3.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { g.Open(); g.srv.Close() })
	return g
}

// URL is a SIGNET_STORAGE_URL for the bucket.
func (g *S3Gate) URL(bucket string) string {
	return "s3://" + bucket + "?endpoint=" + strings.TrimPrefix(g.srv.URL, "http://") +
		"&secure=false&region=us-east-1&access_key=AKTEST&secret_key=" + url.QueryEscape("test-secret-0123456789")
}

// Close holds back matching reads from now on.
func (g *S3Gate) Close() { g.closed.Store(true) }

// Open lets every read through, including those held back.
func (g *S3Gate) Open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.closed.Swap(false) {
		close(g.release)
		g.release = make(chan struct{})
	}
}

// Waiting is the number of reads held back right now.
func (g *S3Gate) Waiting() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.waiting
}
