package worker_test

import (
	"context"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"signet/internal/hostilepdf"
	"signet/pdf"
	"signet/pdf/worker"
)

func newPool(t testing.TB, cfg worker.Config) *worker.Pool {
	t.Helper()
	p, err := worker.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInspectAnswersLikeInProcess: the pool's answer is pdf.Inspect's, errors keep their sentinel across the pipe.
func TestInspectAnswersLikeInProcess(t *testing.T) {
	p := newPool(t, worker.Config{})
	in := fixture(t, "in-10.pdf")
	want, err := pdf.Inspect(context.Background(), in, pdf.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.Inspect(context.Background(), in, pdf.DefaultLimits())
	if err != nil || got != want {
		t.Fatalf("pool inspect = %+v, %v; in process %+v", got, err, want)
	}
	if pids := p.Pids(); len(pids) != 1 || pids[0] == os.Getpid() {
		t.Fatalf("children after one request: %v (this process is %d)", pids, os.Getpid())
	}
	for name, tc := range map[string]struct {
		data []byte
		want error
	}{
		"empty":     {nil, pdf.ErrEmpty},
		"not a pdf": {[]byte("hello"), pdf.ErrNotPDF},
		"truncated": {in[:len(in)/2], pdf.ErrInvalid},
	} {
		if _, err := p.Inspect(context.Background(), tc.data, pdf.DefaultLimits()); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	_, err = p.Inspect(context.Background(), in, pdf.Limits{MaxBytes: 1000})
	if !errors.Is(err, pdf.ErrTooLarge) || !strings.Contains(err.Error(), "the limit is 1000") {
		t.Errorf("over the size limit: %v, want ErrTooLarge with the limit in its text", err)
	}
	if len(p.Exits()) != 0 {
		t.Errorf("refusals the child answered itself ended children: %+v", p.Exits())
	}
}

// cpuSelf is this process's user+system time.
func cpuSelf() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// gone reports whether no process has the pid any more (a zombie would still count as there).
func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}

// checkAfterHostile asserts what every hostile file must leave: an answer that is acceptance or a refusal
// as invalid, no child of this request left running, a child that stayed under its memory cap, and an idle parent.
func checkAfterHostile(t *testing.T, p *worker.Pool, name string, before int, err error) {
	t.Helper()
	if err != nil && !errors.Is(err, pdf.ErrInvalid) {
		t.Fatalf("%s: %v, want acceptance or pdf.ErrInvalid", name, err)
	}
	exits := p.Exits()[before:]
	if err != nil && errors.Is(err, worker.ErrTimeout) && len(exits) != 1 {
		t.Fatalf("%s: timed out but %d children ended: %+v", name, len(exits), exits)
	}
	for _, e := range exits {
		if !gone(e.Pid) {
			t.Errorf("%s: child %d (%s) is still there", name, e.Pid, e.Reason)
		}
		if e.MaxRSS <= 0 || e.MaxRSS > p.MemoryLimit() {
			t.Errorf("%s: child %d peaked at %d bytes, cap %d", name, e.Pid, e.MaxRSS, p.MemoryLimit())
		}
	}
	start := cpuSelf()
	time.Sleep(time.Second)
	if used := cpuSelf() - start; used > 200*time.Millisecond {
		t.Errorf("%s: the parent used %s of CPU in the second after the answer", name, used)
	}
}

// TestHostileFilesCostAtMostTheTimeout: DAGs of every kind at depths 16 to 40, millions of strings on a line and a
// decompression bomb are answered within the timeout, and the child that choked on one is gone.
func TestHostileFilesCostAtMostTheTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile files take up to the timeout each")
	}
	p := newPool(t, worker.Config{Size: 1})
	lim := pdf.Limits{Timeout: time.Second}
	files := map[string][]byte{
		"strings": hostilepdf.ManyStrings(1_500_000),
		"bomb":    hostilepdf.FlateBomb(512),
	}
	for _, k := range hostilepdf.Kinds {
		for _, d := range []int{16, 28, 40} {
			files[k+"-"+strconv.Itoa(d)] = hostilepdf.DAG(k, d)
		}
	}
	timeouts := 0
	for name, data := range files {
		before := len(p.Exits())
		_, err := p.Inspect(context.Background(), data, lim)
		if errors.Is(err, worker.ErrTimeout) {
			timeouts++
		}
		checkAfterHostile(t, p, name, before, err)
	}
	if timeouts < 5 {
		t.Errorf("only %d files needed the kill; the generators do not bite", timeouts)
	}
	if _, err := p.Inspect(context.Background(), fixture(t, "in-10.pdf"), lim); err != nil {
		t.Fatalf("a normal PDF after the hostile ones: %v", err)
	}
}

// TestMemoryCapEndsTheChild: under a small address-space cap a file that needs a lot of memory makes the child
// fail, which the parent reports as a crash the caller can refuse as invalid, and the next child works.
func TestMemoryCapEndsTheChild(t *testing.T) {
	const limit = 300 << 20
	p := newPool(t, worker.Config{Size: 1, MemoryLimit: limit})
	lim := pdf.Limits{Timeout: 20 * time.Second}
	if _, err := p.Inspect(context.Background(), fixture(t, "in-10.pdf"), lim); err != nil {
		t.Fatalf("a normal PDF under a %d MiB cap: %v", limit>>20, err)
	}
	before := len(p.Exits())
	_, err := p.Inspect(context.Background(), hostilepdf.FlateBomb(1024), lim)
	if !errors.Is(err, worker.ErrCrashed) || !errors.Is(err, pdf.ErrInvalid) {
		t.Fatalf("a gigabyte bomb under a %d MiB cap: %v, want a crash that counts as invalid", limit>>20, err)
	}
	exits := p.Exits()[before:]
	if len(exits) != 1 || exits[0].Reason != "crashed" || !gone(exits[0].Pid) || exits[0].MaxRSS > limit {
		t.Fatalf("exits after the crash: %+v", exits)
	}
	if _, err := p.Inspect(context.Background(), fixture(t, "in-10.pdf"), lim); err != nil {
		t.Fatalf("a normal PDF after the crash: %v", err)
	}
}
