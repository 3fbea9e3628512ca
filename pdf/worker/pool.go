// Package worker parses untrusted PDFs in child processes of the same binary (`signet pdf-worker`), each
// capped in memory and CPU and killed when the parent's wall-clock timeout passes, so a hostile file costs
// at most its timeout and leaves nothing running behind its refusal.
package worker

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"signet/pdf"
)

// Config sets up a Pool; zero fields take the defaults below.
type Config struct {
	Size            int           // children at most, one request each at a time (default 2)
	MemoryLimit     int64         // address-space cap of each child in bytes (default 2 GiB)
	CPULimit        time.Duration // CPU-time cap of each child, a backstop; it retires at half (default 10 min)
	FinalizeTimeout time.Duration // wall clock for finalising and sealing one document (default 60 s)
	Executable      string        // the binary to run (default os.Executable())
	Seal            SealIdentity  // where the children find the seal key and certificate
	Logger          *slog.Logger
}

// Defaults for Config.
const (
	DefaultSize            = 2
	DefaultMemoryLimit     = 2 << 30
	DefaultCPULimit        = 10 * time.Minute
	DefaultFinalizeTimeout = 60 * time.Second
)

// Exit describes a child that has gone, for logs and tests.
type Exit struct {
	Pid    int
	Reason string // "timeout", "cancelled", "crashed", "protocol", "retired", "closed"
	MaxRSS int64  // peak resident memory in bytes
	State  string // how the process ended, e.g. "signal: killed"
}

// Pool hands requests to at most Size children, started when first needed and replaced after a kill.
type Pool struct {
	cfg    Config
	logger *slog.Logger
	slots  chan *child // a nil slot means "start a child when taken"

	mu     sync.Mutex
	live   map[int]*child
	exits  []Exit
	closed bool
}

// New returns a Pool; no child starts before the first request.
func New(cfg Config) (*Pool, error) {
	if cfg.Size <= 0 {
		cfg.Size = DefaultSize
	}
	if cfg.MemoryLimit <= 0 {
		cfg.MemoryLimit = DefaultMemoryLimit
	}
	if cfg.CPULimit <= 0 {
		cfg.CPULimit = DefaultCPULimit
	}
	if cfg.FinalizeTimeout <= 0 {
		cfg.FinalizeTimeout = DefaultFinalizeTimeout
	}
	if cfg.Executable == "" {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("pdf worker: unable to find the executable: %w", err)
		}
		cfg.Executable = exe
	}
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	p := &Pool{cfg: cfg, logger: logger, slots: make(chan *child, cfg.Size), live: map[int]*child{}}
	for range cfg.Size {
		p.slots <- nil
	}
	return p, nil
}

// Inspect does what pdf.Inspect does, in a child, within lim.Timeout.
func (p *Pool) Inspect(ctx context.Context, data []byte, lim pdf.Limits) (pdf.Info, error) {
	lim = withDefaultLimits(lim)
	resp, err := p.do(ctx, lim.Timeout, &request{Op: opInspect, PDF: data, Limits: lim})
	if err != nil {
		return pdf.Info{}, err
	}
	return resp.Info, resp.Err.err()
}

// FinalizeAndSeal does pdf.Finalize and then (*pdf.Sealer).Seal in one child, within FinalizeTimeout.
func (p *Pool) FinalizeAndSeal(ctx context.Context, original []byte, signers []pdf.Signer, audit pdf.Audit) ([]byte, error) {
	resp, err := p.do(ctx, p.cfg.FinalizeTimeout, &request{Op: opFinalizeSeal, PDF: original, Signers: signers, Audit: audit, Seal: p.cfg.Seal})
	if err != nil {
		return nil, err
	}
	return resp.PDF, resp.Err.err()
}

// Seal seals an already finalised PDF in a child, within FinalizeTimeout.
func (p *Pool) Seal(ctx context.Context, in []byte) ([]byte, error) {
	resp, err := p.do(ctx, p.cfg.FinalizeTimeout, &request{Op: opSeal, PDF: in, Seal: p.cfg.Seal})
	if err != nil {
		return nil, err
	}
	return resp.PDF, resp.Err.err()
}

func withDefaultLimits(l pdf.Limits) pdf.Limits {
	d := pdf.DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	return l
}

// do waits (at most timeout) for a free slot, then gives the child timeout to answer; a child that does not
// answer in time, whose caller gives up, or that breaks the protocol is killed and reaped before do returns.
func (p *Pool) do(ctx context.Context, timeout time.Duration, req *request) (*response, error) {
	c, err := p.acquire(ctx, timeout, req.Op)
	if err != nil {
		return nil, err
	}
	resp, reason, err := c.roundTrip(ctx, timeout, req)
	switch {
	case err != nil:
		p.release(nil, c, reason)
		return nil, err
	case resp.Retire:
		p.release(nil, c, "retired")
	default:
		p.release(c, nil, "")
	}
	return resp, nil
}

func (p *Pool) acquire(ctx context.Context, timeout time.Duration, op string) (*child, error) {
	wait := time.NewTimer(timeout)
	defer wait.Stop()
	var c *child
	select {
	case c = <-p.slots:
	case <-ctx.Done():
		return nil, fmt.Errorf("pdf worker: %s: %w", op, ctx.Err())
	case <-wait.C:
		return nil, &Error{Op: op, Kind: ErrUnavailable, Detail: fmt.Sprintf("every worker stayed busy for %s", timeout)}
	}
	p.mu.Lock()
	closed := p.closed
	p.mu.Unlock()
	if closed {
		p.slots <- c
		return nil, &Error{Op: op, Kind: ErrUnavailable, Detail: "the pool is closed"}
	}
	if c != nil && !c.alive() {
		p.forget(c, "crashed", c.kill()) // died while idle: not this request's fault
		c = nil
	}
	if c != nil {
		return c, nil
	}
	c, err := startChild(p.cfg, p.logger)
	if err != nil {
		p.slots <- nil
		return nil, &Error{Op: op, Kind: ErrUnavailable, Detail: err.Error()}
	}
	p.mu.Lock()
	p.live[c.pid] = c
	p.mu.Unlock()
	return c, nil
}

// release returns a slot: keep goes back as it is, drop is ended first (killed, or stopped when retired).
func (p *Pool) release(keep, drop *child, reason string) {
	if drop != nil {
		var st *os.ProcessState
		if reason == "retired" {
			st = drop.stop()
		} else {
			st = drop.kill()
		}
		p.forget(drop, reason, st)
	}
	p.slots <- keep
}

// forget records how a child ended and drops it from the live set.
func (p *Pool) forget(c *child, reason string, st *os.ProcessState) {
	e := Exit{Pid: c.pid, Reason: reason}
	if st != nil {
		e.State = st.String()
		e.MaxRSS = maxRSS(st)
	}
	p.mu.Lock()
	if _, ok := p.live[c.pid]; !ok {
		p.mu.Unlock()
		return // already recorded, e.g. by Close while it was busy
	}
	delete(p.live, c.pid)
	p.exits = append(p.exits, e)
	if len(p.exits) > 100 {
		p.exits = p.exits[len(p.exits)-100:]
	}
	p.mu.Unlock()
	if reason != "retired" && reason != "closed" {
		p.logger.Warn("pdf worker ended", "pid", e.Pid, "reason", reason, "state", e.State, "max_rss_bytes", e.MaxRSS)
	}
}

// roundTrip sends req and waits for the answer, the timeout or the caller's cancellation, whichever comes first.
func (c *child) roundTrip(ctx context.Context, timeout time.Duration, req *request) (*response, string, error) {
	type result struct {
		resp *response
		err  error
	}
	done := make(chan result, 1)
	go func() {
		var r result
		if r.err = writeFrame(c.stdin, req); r.err == nil {
			r.resp = &response{}
			r.err = readFrame(c.stdout, r.resp)
		}
		done <- r
	}()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case r := <-done:
		if r.err == nil {
			return r.resp, "", nil
		}
		select { // a crashing child closes its pipes a moment before it can be reaped
		case <-c.exited:
			return nil, "crashed", &Error{Op: req.Op, Kind: ErrCrashed, Pid: c.pid, Detail: c.state.String()}
		case <-time.After(time.Second):
			return nil, "protocol", &Error{Op: req.Op, Kind: ErrCrashed, Pid: c.pid, Detail: r.err.Error()}
		}
	case <-timer.C:
		c.kill()
		<-done // the pipes closed with the process, so the exchange has ended
		return nil, "timeout", &Error{Op: req.Op, Kind: ErrTimeout, Pid: c.pid, Detail: fmt.Sprintf("no answer within %s", timeout)}
	case <-ctx.Done():
		c.kill()
		<-done
		return nil, "cancelled", fmt.Errorf("pdf worker: %s: %w", req.Op, ctx.Err())
	}
}

// Close kills every child, busy or idle; later requests fail with ErrUnavailable.
func (p *Pool) Close() {
	p.mu.Lock()
	p.closed = true
	live := make([]*child, 0, len(p.live))
	for _, c := range p.live {
		live = append(live, c)
	}
	p.mu.Unlock()
	for _, c := range live {
		p.forget(c, "closed", c.kill())
	}
}

// Pids lists the children running now.
func (p *Pool) Pids() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]int, 0, len(p.live))
	for pid := range p.live {
		out = append(out, pid)
	}
	return out
}

// Exits lists the last children that ended, oldest first.
func (p *Pool) Exits() []Exit {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Exit(nil), p.exits...)
}

// MemoryLimit is the address-space cap each child runs under.
func (p *Pool) MemoryLimit() int64 { return p.cfg.MemoryLimit }
