package testapp

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"
)

// EnvChild marks a re-executed test binary that must run Signet instead of the tests.
const EnvChild = "SIGNET_TEST_CHILD"

// RunChildIfAsked runs serve and exits when this test binary was started by StartProcess; call it
// first thing in TestMain. Any other run returns at once.
func RunChildIfAsked(serve func() error) {
	if os.Getenv(EnvChild) == "" {
		return
	}
	if err := serve(); err != nil {
		fmt.Fprintln(os.Stderr, "signet:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// Process is Signet running as a child process (the test binary re-executed), so a test can kill
// it like an operator or the kernel would.
type Process struct {
	T    testing.TB
	URL  string
	Logs *LogBuffer
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// FreeAddr reserves nothing: it returns a 127.0.0.1 port free right now, for a process that
// must keep one address across restarts.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testapp: listen: %v", err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// StartProcess re-executes the test binary with env (SIGNET_* settings, SIGNET_ADDR included) and
// waits until it answers /healthz. The process is killed when the test ends if still running.
func StartProcess(t testing.TB, env map[string]string) *Process {
	t.Helper()
	p := &Process{T: t, URL: "http://" + env["SIGNET_ADDR"], Logs: &LogBuffer{}, done: make(chan struct{})}
	p.cmd = exec.Command(os.Args[0], "-test.run=^$")
	p.cmd.Env = append(os.Environ(), EnvChild+"=1")
	for k, v := range env {
		p.cmd.Env = append(p.cmd.Env, k+"="+v)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.Logs, p.Logs
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("testapp: start child: %v", err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() {
		if !p.Exited() {
			_ = p.cmd.Process.Kill()
			<-p.done
		}
		if t.Failed() {
			t.Logf("child %d log:\n%s", p.cmd.Process.Pid, p.Logs.String())
		}
	})
	Eventually(t, "the child to answer /healthz", func() bool {
		if p.Exited() {
			t.Fatalf("child exited at start-up (%v):\n%s", p.err, p.Logs.String())
		}
		res, err := http.Get(p.URL + "/healthz")
		if err != nil {
			return false
		}
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	})
	return p
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Kill ends the process with SIGKILL (nothing runs after it) and waits for it to be gone.
func (p *Process) Kill() {
	p.T.Helper()
	if err := p.cmd.Process.Kill(); err != nil {
		p.T.Fatalf("testapp: kill: %v", err)
	}
	<-p.done
}

// Terminate sends SIGTERM and waits for the process to exit, returning its exit error (nil: status 0).
func (p *Process) Terminate() error {
	p.T.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		p.T.Fatalf("testapp: SIGTERM: %v", err)
	}
	select {
	case <-p.done:
		return p.err
	case <-time.After(WaitTimeout):
		p.T.Fatal("the child did not exit after SIGTERM")
		return nil
	}
}

// ChildEnv is the environment that makes a child process share this app's database, data dir,
// blobs, mail server and secret, listening on addr.
func (a *App) ChildEnv(addr string) map[string]string {
	c := a.Config
	return map[string]string{
		"SIGNET_ADDR": addr, "SIGNET_BASE_URL": "http://" + addr, "SIGNET_DATA_DIR": c.DataDir,
		"SIGNET_DATABASE_URL": c.DatabaseURL, "SIGNET_REDIS_URL": c.RedisURL, "SIGNET_STORAGE_URL": c.StorageURL,
		"SIGNET_SMTP_URL": c.SMTPURL, "SIGNET_MAIL_FROM": c.MailFrom, "SIGNET_SECRET_KEY": c.SecretKey, "SIGNET_LOG_LEVEL": "debug",
	}
}
