package static

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Our modules must run under `script-src 'self'` (and `style-src 'self'`):
// no eval, no string-to-code, no inline style attributes, no HTML injection.
func TestModulesAvoidCSPHazards(t *testing.T) {
	forbidden := map[string]*regexp.Regexp{
		"eval":                 regexp.MustCompile(`\beval\s*\(`),
		"new Function":         regexp.MustCompile(`\bnew\s+Function\s*\(`),
		"string timer":         regexp.MustCompile(`set(Timeout|Interval)\(\s*["'\x60]`),
		"style attribute":      regexp.MustCompile(`setAttribute\(\s*["']style["']`),
		"innerHTML/outerHTML":  regexp.MustCompile(`\.(inner|outer)HTML\s*=`),
		"insertAdjacentHTML":   regexp.MustCompile(`insertAdjacentHTML`),
		"document.write":       regexp.MustCompile(`document\.write`),
		"inline event handler": regexp.MustCompile(`setAttribute\(\s*["']on[a-z]+["']`),
	}
	files, err := filepath.Glob("js/*.js")
	if err != nil || len(files) == 0 {
		t.Fatalf("no modules found: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "//") {
				continue
			}
			for name, re := range forbidden {
				if re.MatchString(line) {
					t.Errorf("%s:%d uses %s: %s", f, i+1, name, strings.TrimSpace(line))
				}
			}
		}
	}
}

// Syntax check of every module with Node when it is installed (CI has it;
// a bare Go machine skips this test).
func TestModulesParse(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("SKIPPED: node is not installed; JavaScript syntax not checked")
	}
	files, _ := filepath.Glob("js/*.js")
	dir := t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// .mjs: parse as an ES module on every Node version.
		tmp := filepath.Join(dir, strings.TrimSuffix(filepath.Base(f), ".js")+".mjs")
		if err := os.WriteFile(tmp, b, 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(node, "--check", tmp).CombinedOutput(); err != nil {
			t.Errorf("%s does not parse as an ES module: %v\n%s", f, err, out)
		}
	}
	// htmx-csrf.js is also usable as a classic <script>.
	if out, err := exec.Command(node, "--check", "js/htmx-csrf.js").CombinedOutput(); err != nil {
		t.Errorf("js/htmx-csrf.js does not parse as a classic script: %v\n%s", err, out)
	}
}
