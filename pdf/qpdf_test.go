package pdf

import (
	"testing"

	"signet/internal/qpdfcheck"
)

// qpdfProblems is qpdf --check's complaints about data, "" when clean (see internal/qpdfcheck).
func qpdfProblems(tb testing.TB, data []byte) string {
	tb.Helper()
	return qpdfcheck.Problems(tb, data)
}

// qpdfClean fails the test unless qpdf --check finds data free of errors and warnings.
func qpdfClean(tb testing.TB, what string, data []byte) { tb.Helper(); qpdfcheck.Clean(tb, what, data) }
