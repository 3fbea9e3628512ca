// Package qpdfcheck cross-checks PDFs that tests produce with qpdf, a second, strict PDF reader.
package qpdfcheck

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Either variable makes missing external tools (qpdf) a failure rather than a logged skip; .ci/run sets one.
var requireTools = os.Getenv("SIGNET_REQUIRE_TOOLS") == "1" || os.Getenv("SIGNET_REQUIRE_BROWSER") == "1"

var qpdfMissing sync.Once

// path returns qpdf's path, or "" after logging loudly (or failing, when tools are required) that it is missing.
func path(tb testing.TB) string {
	tb.Helper()
	p, err := exec.LookPath("qpdf")
	if err == nil {
		return p
	}
	if requireTools {
		tb.Fatalf("qpdf is required (SIGNET_REQUIRE_TOOLS/SIGNET_REQUIRE_BROWSER is set) but not installed: %v", err)
	}
	qpdfMissing.Do(func() {
		tb.Log("!!! qpdf is not installed: the `qpdf --check` cross-check of every written PDF is SKIPPED (install qpdf; SIGNET_REQUIRE_TOOLS=1 makes this a failure)")
	})
	return ""
}

// Problems runs `qpdf --check` on data and returns its complaints: "" when qpdf reports neither errors nor warnings.
func Problems(tb testing.TB, data []byte) string {
	tb.Helper()
	bin := path(tb)
	if bin == "" {
		return ""
	}
	file := filepath.Join(tb.TempDir(), "check.pdf")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	out, err := exec.Command(bin, "--check", file).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil && !strings.Contains(string(out), "WARNING"):
		return ""
	case err == nil, errors.As(err, &exit): // exit 2: errors, 3: warnings only
		return strings.TrimSpace(string(out))
	default:
		tb.Fatalf("run qpdf: %v", err)
		return ""
	}
}

// Clean fails the test unless `qpdf --check` finds data free of errors and warnings.
func Clean(tb testing.TB, what string, data []byte) {
	tb.Helper()
	if p := Problems(tb, data); p != "" {
		tb.Errorf("%s: qpdf --check is not clean:\n%s", what, p)
	}
}
