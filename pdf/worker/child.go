package worker

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"

	"signet/pdf"
)

// Environment the parent gives its children; a process carrying envChild serves requests and nothing else.
const (
	envChild  = "SIGNET_PDF_WORKER_CHILD"
	envMemory = "SIGNET_PDF_WORKER_MEMORY"
	envCPU    = "SIGNET_PDF_WORKER_CPU_SECONDS"
)

// init turns any binary that links this package (signet, and every test binary that starts a pool) into a
// worker when the parent marked it so, before main or the tests can run: a child never recurses into its tests.
func init() {
	if os.Getenv(envChild) != "1" {
		return
	}
	if err := ServeStdio(); err != nil {
		fmt.Fprintln(os.Stderr, "pdf-worker:", err)
		os.Exit(2)
	}
	os.Exit(0)
}

// ServeStdio serves the parent on stdin/stdout; anything else in the process that prints to os.Stdout is sent
// to stderr instead, where it reaches the parent's log rather than corrupting the frames.
func ServeStdio() error {
	out := os.Stdout
	os.Stdout = os.Stderr
	return Serve(os.Stdin, out)
}

// Serve caps this process's resources and then answers requests from in on out until in closes;
// `signet pdf-worker` and the init hook both run it.
func Serve(in io.Reader, out io.Writer) error {
	mem, _ := strconv.ParseInt(os.Getenv(envMemory), 10, 64)
	cpu, _ := strconv.ParseInt(os.Getenv(envCPU), 10, 64)
	if err := capResources(mem, cpu); err != nil {
		return err
	}
	// one request at a time: a hostile file may keep one core busy until the parent kills it, never two
	runtime.GOMAXPROCS(1)
	retireAt := float64(cpu) / 2
	seals := &sealers{}
	for {
		var req request
		if err := readFrame(in, &req); err != nil {
			if err == io.EOF {
				return nil
			}
			return fmt.Errorf("read request: %w", err)
		}
		resp := handle(req, seals)
		resp.Retire = cpu > 0 && cpuSeconds() > retireAt
		if err := writeFrame(out, resp); err != nil {
			return fmt.Errorf("write response: %w", err)
		}
	}
}

// handle runs one request; pdf's own functions already turn panics into errors, this catches ours.
func handle(req request, seals *sealers) (resp response) {
	defer func() {
		if r := recover(); r != nil {
			resp = response{Err: toWire(fmt.Errorf("pdf-worker: %s: %w: recovered panic: %v\n%s", req.Op, pdf.ErrInvalid, r, debug.Stack()))}
		}
	}()
	// the parent's wall clock decides; the child's own clock only has to be longer so the parent's kill comes first
	ctx := context.Background()
	switch req.Op {
	case opPing:
		return response{}
	case opInspect:
		lim := req.Limits
		lim.Timeout = childTimeout
		info, err := pdf.Inspect(ctx, req.PDF, lim)
		return response{Info: info, Err: toWire(err)}
	case opFinalizeSeal, opSeal:
		sealer, err := seals.get(req.Seal)
		if err != nil {
			return response{Err: toWire(err)}
		}
		doc := req.PDF
		if req.Op == opFinalizeSeal {
			if doc, err = pdf.Finalize(ctx, doc, req.Signers, req.Audit); err != nil {
				return response{Err: toWire(err)}
			}
		}
		sealed, err := sealer.Seal(ctx, doc)
		return response{PDF: sealed, Err: toWire(err)}
	}
	return response{Err: toWire(fmt.Errorf("pdf-worker: unknown operation %q", req.Op))}
}

// sealers keeps one Sealer per identity for the child's lifetime, so the key is read once.
type sealers struct {
	mu sync.Mutex
	m  map[SealIdentity]*pdf.Sealer
}

func (s *sealers) get(id SealIdentity) (*pdf.Sealer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sl, ok := s.m[id]; ok {
		return sl, nil
	}
	var opts []pdf.SealerOption
	if id.Location != "" {
		opts = append(opts, pdf.WithSealLocation(id.Location))
	}
	if id.ContactInfo != "" {
		opts = append(opts, pdf.WithSealContactInfo(id.ContactInfo))
	}
	sl, err := pdf.LoadOrCreateSealer(id.Dir, id.CommonName, opts...)
	if err != nil {
		return nil, fmt.Errorf("pdf-worker: %w", err)
	}
	if s.m == nil {
		s.m = map[SealIdentity]*pdf.Sealer{}
	}
	s.m[id] = sl
	return sl, nil
}
