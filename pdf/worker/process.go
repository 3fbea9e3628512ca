package worker

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"
)

// child is one running worker process; it serves one request at a time.
type child struct {
	cmd    *exec.Cmd
	pid    int
	stdin  *os.File // our end of its stdin
	stdout *bufio.Reader
	out    *os.File
	exited chan struct{} // closed once the process is reaped
	state  *os.ProcessState
	once   sync.Once
}

// startChild runs the executable with the worker marker and a minimal environment: no secrets reach it.
func startChild(cfg Config, logger *slog.Logger) (*child, error) {
	inR, inW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		inR.Close()
		inW.Close()
		return nil, fmt.Errorf("pipe: %w", err)
	}
	cmd := exec.Command(cfg.Executable, "pdf-worker")
	cmd.Env = childEnv(cfg)
	cmd.Stdin, cmd.Stdout = inR, outW
	cmd.SysProcAttr = sysProcAttr()
	stderr, err := cmd.StderrPipe()
	if err != nil {
		inR.Close()
		inW.Close()
		outR.Close()
		outW.Close()
		return nil, fmt.Errorf("stderr: %w", err)
	}
	err = cmd.Start()
	inR.Close() // the child holds its own copies now
	outW.Close()
	if err != nil {
		inW.Close()
		outR.Close()
		return nil, fmt.Errorf("start %s: %w", cfg.Executable, err)
	}
	c := &child{cmd: cmd, pid: cmd.Process.Pid, stdin: inW, out: outR, stdout: bufio.NewReaderSize(outR, 64<<10), exited: make(chan struct{})}
	go logStderr(stderr, logger.With("pdf_worker_pid", c.pid))
	go func() {
		_ = cmd.Wait() // a non-zero exit is expected after a kill; the state tells the rest
		c.state = cmd.ProcessState
		close(c.exited)
	}()
	return c, nil
}

func childEnv(cfg Config) []string {
	env := []string{envChild + "=1", envMemory + "=" + strconv.FormatInt(cfg.MemoryLimit, 10),
		envCPU + "=" + strconv.FormatInt(int64(cfg.CPULimit/time.Second), 10)}
	env = append(env, "MALLOC_ARENA_MAX=2")              // glibc (when linked) would reserve 64 MiB per thread against the cap
	for _, k := range []string{"GOCOVERDIR", "TMPDIR"} { // coverage of test runs, and where pdfcpu may write
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	return env
}

// stderrLines is how much of a child's stderr reaches the log: a crash report's head says what happened,
// its goroutine dump would only bury the rest of the log.
const stderrLines = 40

// logStderr forwards what the child writes (a runtime crash report, mostly) to the parent's log.
func logStderr(r io.Reader, logger *slog.Logger) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	n := 0
	for sc.Scan() {
		if n++; n <= stderrLines {
			logger.Warn("pdf worker: " + sc.Text())
		}
	}
	if n > stderrLines {
		logger.Warn("pdf worker: stderr cut", "lines_dropped", n-stderrLines)
	}
}

// alive reports whether the process is still running (a child may die while idle, e.g. killed by the OOM killer).
func (c *child) alive() bool {
	select {
	case <-c.exited:
		return false
	default:
		return true
	}
}

// kill ends the process with SIGKILL and waits until it is reaped, so its pid is gone when kill returns.
func (c *child) kill() *os.ProcessState {
	c.once.Do(func() {
		_ = c.cmd.Process.Kill() // SIGKILL: nothing in the child can delay it
		c.stdin.Close()
	})
	<-c.exited
	c.out.Close()
	return c.state
}

// stop closes stdin, which ends the child's loop, and kills it if it does not leave promptly.
func (c *child) stop() *os.ProcessState {
	c.stdin.Close()
	select {
	case <-c.exited:
	case <-time.After(2 * time.Second):
	}
	return c.kill()
}
