package worker_test

import (
	"context"
	"errors"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"signet/internal/hostilepdf"
	"signet/pdf"
	"signet/pdf/worker"
)

// TestKilledChildIsReplaced: a child killed from outside while idle is noticed and replaced; the request that
// finds it dead is served by a fresh child instead of failing.
func TestKilledChildIsReplaced(t *testing.T) {
	p := newPool(t, worker.Config{Size: 1})
	in := fixture(t, "in-10.pdf")
	if _, err := p.Inspect(context.Background(), in, pdf.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	first := p.Pids()
	if len(first) != 1 {
		t.Fatalf("children after one request: %v", first)
	}
	if err := syscall.Kill(first[0], syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for !gone(first[0]) && !slices.ContainsFunc(p.Exits(), func(e worker.Exit) bool { return e.Pid == first[0] }) {
		time.Sleep(10 * time.Millisecond) // the kernel takes a moment to deliver the signal
	}
	time.Sleep(50 * time.Millisecond) // and the reaper a moment to mark it dead
	if _, err := p.Inspect(context.Background(), in, pdf.DefaultLimits()); err != nil {
		t.Fatalf("the request after the kill: %v", err)
	}
	now := p.Pids()
	if len(now) != 1 || now[0] == first[0] {
		t.Fatalf("children after the kill: %v, the killed one was %d", now, first[0])
	}
}

// TestConcurrentRequestsShareThePool: more callers than children are all served, by at most Size children,
// which are reused rather than started per request.
func TestConcurrentRequestsShareThePool(t *testing.T) {
	p := newPool(t, worker.Config{Size: 2})
	in := fixture(t, "in-10.pdf")
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 3 {
				_, err := p.Inspect(context.Background(), in, pdf.DefaultLimits())
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil || len(errs) != 18 {
		t.Fatalf("%d answers: %v", len(errs), err)
	}
	if n := len(p.Pids()); n < 1 || n > 2 {
		t.Fatalf("%d children for a pool of 2", n)
	}
	if len(p.Exits()) != 0 {
		t.Fatalf("children ended during normal work: %+v", p.Exits())
	}
}

// TestCancelKillsTheChild: a caller that gives up (the client went away) does not leave the child working.
func TestCancelKillsTheChild(t *testing.T) {
	p := newPool(t, worker.Config{Size: 1})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for len(p.Pids()) == 0 {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	_, err := p.Inspect(ctx, hostilepdf.DAG("nametree", 40), pdf.Limits{Timeout: time.Minute})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled inspect: %v", err)
	}
	exits := p.Exits()
	if len(exits) != 1 || exits[0].Reason != "cancelled" || !gone(exits[0].Pid) {
		t.Fatalf("exits after the cancellation: %+v", exits)
	}
}

// TestFinalizeAndSealInAChild: the child finalises and seals with the identity in the data dir, and the seal
// verifies with the parent's own Sealer's fingerprint.
func TestFinalizeAndSealInAChild(t *testing.T) {
	dir := t.TempDir()
	sealer, err := pdf.LoadOrCreateSealer(dir, "Signet document seal (test)")
	if err != nil {
		t.Fatal(err)
	}
	p := newPool(t, worker.Config{Seal: worker.SealIdentity{Dir: dir, CommonName: "Signet document seal (test)", Location: "test"}})
	in := fixture(t, "in-10.pdf")
	signedAt := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	out, err := p.FinalizeAndSeal(context.Background(), in,
		[]pdf.Signer{{Name: "Jane Doe", Email: "jane@example.com", TypedName: "Jane Doe", SignedAt: signedAt}},
		pdf.Audit{DocumentID: "doc_1", Title: "Agreement", CompletedAt: signedAt, Events: []pdf.AuditEvent{{At: signedAt, Actor: "Jane", Event: "signed"}}})
	if err != nil {
		t.Fatal(err)
	}
	info, err := pdf.VerifySeal(out)
	if err != nil || !info.Valid || !info.Certified || info.Fingerprint != sealer.Fingerprint() || info.Location != "test" {
		t.Fatalf("seal of the child's output: %+v, %v", info, err)
	}
	if n, err := pdf.PageCount(out); err != nil || n != 11 {
		t.Fatalf("pages of the finalised PDF: %d, %v (want the 10 original and the audit page)", n, err)
	}
	if _, err := p.FinalizeAndSeal(context.Background(), []byte("%PDF-1.7 nonsense"), nil, pdf.Audit{}); !errors.Is(err, pdf.ErrInvalid) {
		t.Fatalf("finalising nonsense: %v, want pdf.ErrInvalid", err)
	}
}

// TestClosedPoolKillsChildren: Close ends every child and later requests fail as unavailable, not invalid.
func TestClosedPoolKillsChildren(t *testing.T) {
	p, err := worker.New(worker.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Inspect(context.Background(), fixture(t, "in-10.pdf"), pdf.DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	pids := p.Pids()
	p.Close()
	for _, pid := range pids {
		if !gone(pid) {
			t.Errorf("child %d survived Close", pid)
		}
	}
	_, err = p.Inspect(context.Background(), fixture(t, "in-10.pdf"), pdf.DefaultLimits())
	if !errors.Is(err, worker.ErrUnavailable) || !errors.Is(err, pdf.ErrBusy) || errors.Is(err, pdf.ErrInvalid) {
		t.Fatalf("inspect after Close: %v", err)
	}
}

// TestChildRetiresBeforeItsCPUCap: a child that has used half its CPU allowance answers, then is replaced, so
// the RLIMIT_CPU backstop never kills one in the middle of a legitimate request.
func TestChildRetiresBeforeItsCPUCap(t *testing.T) {
	p := newPool(t, worker.Config{Size: 1, CPULimit: 2 * time.Second})
	costly := hostilepdf.DAG("nametree", 16) // a few tenths of a second of CPU, well inside the timeout
	retired := func() bool {
		return slices.ContainsFunc(p.Exits(), func(e worker.Exit) bool { return e.Reason == "retired" && gone(e.Pid) })
	}
	for i := 0; i < 30 && !retired(); i++ {
		if _, err := p.Inspect(context.Background(), costly, pdf.Limits{Timeout: time.Minute}); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
	if !retired() {
		t.Fatalf("no child retired: %+v", p.Exits())
	}
	for _, e := range p.Exits() {
		if e.Reason != "retired" {
			t.Errorf("a child ended otherwise: %+v", e)
		}
	}
}

// TestBusyPoolAnswersUnavailable: when every child stays busy for a whole timeout the caller is told the server
// is busy (retry later), not that the file is invalid, and the busy child is not disturbed.
func TestBusyPoolAnswersUnavailable(t *testing.T) {
	p := newPool(t, worker.Config{Size: 1})
	slow := make(chan error, 1)
	go func() {
		_, err := p.Inspect(context.Background(), hostilepdf.DAG("nametree", 40), pdf.Limits{Timeout: 3 * time.Second})
		slow <- err
	}()
	for len(p.Pids()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	_, err := p.Inspect(context.Background(), fixture(t, "in-10.pdf"), pdf.Limits{Timeout: 100 * time.Millisecond})
	if !errors.Is(err, worker.ErrUnavailable) || !errors.Is(err, pdf.ErrBusy) || errors.Is(err, pdf.ErrInvalid) {
		t.Fatalf("inspect while the only child is busy: %v", err)
	}
	if err := <-slow; !errors.Is(err, worker.ErrTimeout) {
		t.Fatalf("the slow request: %v, want its own timeout", err)
	}
}

// TestMisbehavingChildIsKilled: a child that answers garbage is killed as a protocol failure, one that exits is
// reported as crashed; both count as invalid input and leave no process behind.
func TestMisbehavingChildIsKilled(t *testing.T) {
	for name, tc := range map[string]struct{ script, reason string }{
		"garbage": {"printf 'not a frame at all'; exec cat >/dev/null", "protocol"},
		"exit":    {"exit 3", "crashed"},
	} {
		t.Run(name, func(t *testing.T) {
			exe := t.TempDir() + "/fake-worker"
			if err := os.WriteFile(exe, []byte("#!/bin/sh\n"+tc.script+"\n"), 0o700); err != nil {
				t.Fatal(err)
			}
			p := newPool(t, worker.Config{Size: 1, Executable: exe})
			_, err := p.Inspect(context.Background(), fixture(t, "in-10.pdf"), pdf.Limits{Timeout: 30 * time.Second})
			if !errors.Is(err, worker.ErrCrashed) || !errors.Is(err, pdf.ErrInvalid) {
				t.Fatalf("inspect: %v", err)
			}
			exits := p.Exits()
			if len(exits) != 1 || exits[0].Reason != tc.reason || !gone(exits[0].Pid) {
				t.Fatalf("exits: %+v, want one %q", exits, tc.reason)
			}
		})
	}
}
