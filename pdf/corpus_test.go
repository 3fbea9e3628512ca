package pdf

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// corpusEnv names extra directories of real-world PDFs (e.g. a checkout of pdf.js's test/pdfs), separated by the OS list separator.
const corpusEnv = "SIGNET_PDF_CORPUS"

// corpusShortLimit keeps -short runs quick: larger files are only tried in a full run.
const corpusShortLimit = 2 << 20

// corpusFiles lists the PDFs shipped in pdfcpu's module (pkg/testdata) plus any directories named in SIGNET_PDF_CORPUS.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	var dirs []string
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pdfcpu/pdfcpu").Output()
	if dir := strings.TrimSpace(string(out)); err == nil && dir != "" {
		dirs = append(dirs, filepath.Join(dir, "pkg", "testdata"), filepath.Join(dir, "pkg", "samples"))
	} else {
		t.Logf("!!! cannot locate pdfcpu's module (go list: %v): its test files are not part of the corpus", err)
	}
	dirs = append(dirs, filepath.SplitList(os.Getenv(corpusEnv))...)
	var files []string
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".pdf") {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("walk corpus %s: %v", dir, err)
		}
	}
	sort.Strings(files)
	return files
}

// corpusSigners covers the three signature kinds: a drawn image, a typed name, and a name outside Latin-1.
func corpusSigners(t *testing.T) []Signer {
	return []Signer{
		{Name: "Jane Doe", Email: "jane@example.com", Image: fixture(t, "sig.png"), SignedAt: signedAt},
		{Name: "Richard Roe", Email: "richard@example.org", TypedName: "Richard Roe", SignedAt: signedAt.Add(time.Minute)},
		{Name: "Ярослава Łukasiewicz 山田", Email: "yaroslava@example.net", TypedName: "Ярослава 山田", SignedAt: signedAt.Add(2 * time.Minute)},
	}
}

// TestCorpusEveryAcceptedPDFFinishes: the rule "accepted at upload implies it can be signed to the end", tried on
// real-world files: intake, finalisation, seal, reopening, seal verification and qpdf --check.
func TestCorpusEveryAcceptedPDFFinishes(t *testing.T) {
	files := corpusFiles(t)
	if len(files) == 0 {
		t.Fatal("the corpus is empty: pdfcpu's pkg/testdata was not found")
	}
	sealer := newTestSealer(t)
	signers := corpusSigners(t)
	var (
		mu                        sync.Mutex
		accepted, finished, large int
		refused                   = map[string]int{}
	)
	work := make(chan string)
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range work {
				if os.Getenv("CORPUS_TRACE") != "" {
					t.Log("start", path)
				}
				in, err := os.ReadFile(path)
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				if testing.Short() && len(in) > corpusShortLimit {
					mu.Lock()
					large++
					mu.Unlock()
					continue
				}
				_, err = Inspect(context.Background(), in, DefaultLimits())
				if err != nil {
					mu.Lock()
					refused[intakeClass(err)]++
					mu.Unlock()
					continue
				}
				mu.Lock()
				accepted++
				mu.Unlock()
				if problem := finishCorpusFile(t, sealer, signers, in); problem != "" {
					t.Errorf("%s: accepted at intake but cannot be finished: %s", path, problem)
					continue
				}
				mu.Lock()
				finished++
				mu.Unlock()
			}
		}()
	}
	for _, f := range files {
		work <- f
	}
	close(work)
	wg.Wait()
	t.Logf("corpus: %d files, %d accepted, %d finished, refused at intake %v, %d skipped as larger than %d bytes in -short mode",
		len(files), accepted, finished, refused, large, corpusShortLimit)
	if accepted == 0 {
		t.Fatal("no corpus file was accepted: the test proves nothing")
	}
}

// intakeClass names the typed error Inspect refused a file with.
func intakeClass(err error) string {
	for _, c := range []struct {
		err  error
		name string
	}{{ErrEncrypted, "encrypted"}, {ErrSigned, "already signed"}, {ErrTooLarge, "too large"}, {ErrNotPDF, "not a PDF"}, {ErrEmpty, "empty"}, {ErrInvalid, "invalid"}} {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	return "untyped: " + err.Error()
}

// finishCorpusFile does what a completed envelope does to in and returns what went wrong, or "".
func finishCorpusFile(t *testing.T, sealer *Sealer, signers []Signer, in []byte) string {
	out, err := Finalize(context.Background(), in, signers, auditFor(in, 12))
	if err != nil {
		return "finalize: " + err.Error()
	}
	sealed, err := sealer.Seal(context.Background(), out)
	if err != nil {
		return "seal: " + err.Error()
	}
	info, err := VerifySeal(sealed)
	if err != nil || !info.Valid || !info.Certified || info.Signatures != 1 {
		return "verify seal: " + errString(err) + " " + info.Problem
	}
	if p := qpdfProblems(t, sealed); p != "" {
		return "qpdf --check: " + p
	}
	return ""
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
