// Package smtptest runs a real SMTP server in-process on 127.0.0.1 for tests: it speaks
// the whole SMTP conversation (github.com/emersion/go-smtp) and keeps what it receives.
package smtptest

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
)

// WaitTimeout is how long WaitFor waits: a safety net, not a pace.
const WaitTimeout = 15 * time.Second

// Server is a running test SMTP server.
type Server struct {
	srv      *smtp.Server
	port     int
	mode     tlsMode
	user     string
	pass     string
	clientCA *tls.Config
	failing  atomic.Bool

	mu       sync.Mutex
	messages []Mail
	rejected map[string]bool
	arrived  chan struct{} // closed and replaced on every new message
}

type tlsMode int

const (
	plain     tlsMode = iota // no TLS at all
	startTLS                 // advertises STARTTLS
	implicitT                // TLS from the first byte (smtps)
)

// Option configures a Server.
type Option func(*Server)

// WithSTARTTLS advertises STARTTLS with a fresh self-signed certificate for 127.0.0.1.
func WithSTARTTLS() Option { return func(s *Server) { s.mode = startTLS } }

// WithImplicitTLS makes the server speak TLS from the first byte, like port 465.
func WithImplicitTLS() Option { return func(s *Server) { s.mode = implicitT } }

// WithAuth requires AUTH PLAIN with these credentials before MAIL FROM.
func WithAuth(user, pass string) Option {
	return func(s *Server) { s.user, s.pass = user, pass }
}

// Start listens on 127.0.0.1 on a free port and stops when the test ends.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{arrived: make(chan struct{})}
	for _, opt := range opts {
		opt(s)
	}
	s.srv = smtp.NewServer(&backend{s: s})
	s.srv.Domain = "smtptest.local"
	s.srv.ReadTimeout = 30 * time.Second
	s.srv.WriteTimeout = 30 * time.Second
	s.srv.MaxMessageBytes = 32 << 20
	s.srv.AllowInsecureAuth = s.mode == plain // AUTH over plain TCP only in plain mode

	var ln net.Listener
	var err error
	if s.mode == plain {
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	} else {
		var serverCfg *tls.Config
		serverCfg, s.clientCA, err = selfSigned()
		if err != nil {
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.srv.TLSConfig = serverCfg
		if s.mode == implicitT {
			ln, err = tls.Listen("tcp", "127.0.0.1:0", serverCfg)
		} else {
			ln, err = net.Listen("tcp", "127.0.0.1:0")
		}
	}
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.port = ln.Addr().(*net.TCPAddr).Port
	// Serve returns nil after Close; anything else would surface as failed sends.
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { _ = s.srv.Close() })
	return s
}

// Addr is host:port of the server.
func (s *Server) Addr() string { return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port)) }

// URL is a notify.NewSMTPMailer URL for this server: tls=none for a plain server,
// tls=required with STARTTLS, smtps:// with implicit TLS; credentials when WithAuth.
// With TLS, pass ClientTLSConfig to the mailer so it trusts the test certificate.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.Addr()}
	q := url.Values{}
	switch s.mode {
	case plain:
		q.Set("tls", "none")
	case startTLS:
		q.Set("tls", "required")
	case implicitT:
		u.Scheme = "smtps"
	}
	if s.user != "" {
		u.User = url.UserPassword(s.user, s.pass)
		if s.mode == plain {
			q.Set("auth", "PLAIN") // the mailer only sends PLAIN in clear to localhost, and only when asked
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// ClientTLSConfig trusts this server's certificate; nil for a plain server.
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.clientCA == nil {
		return nil
	}
	return s.clientCA.Clone()
}

// SetFailing makes the server answer 451 (temporary failure) at the end of DATA.
func (s *Server) SetFailing(fail bool) { s.failing.Store(fail) }

// RejectRecipient makes RCPT TO for addr fail with 550 (a permanent "no such user").
func (s *Server) RejectRecipient(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rejected == nil {
		s.rejected = map[string]bool{}
	}
	s.rejected[strings.ToLower(addr)] = true
}

func (s *Server) isRejected(addr string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rejected[strings.ToLower(addr)]
}

// Messages returns a copy of everything received so far, oldest first.
func (s *Server) Messages() []Mail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Mail(nil), s.messages...)
}

// WaitFor returns the first received message that matches, waiting for new ones; it
// fails the test after WaitTimeout, listing what did arrive.
func (s *Server) WaitFor(t testing.TB, match func(Mail) bool) Mail {
	t.Helper()
	deadline := time.NewTimer(WaitTimeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		msgs, arrived := append([]Mail(nil), s.messages...), s.arrived
		s.mu.Unlock()
		for _, m := range msgs {
			if match(m) {
				return m
			}
		}
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("smtptest: no matching message within %s; received %s", WaitTimeout, summary(msgs))
			return Mail{}
		}
	}
}

func (s *Server) add(m Mail) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

func summary(msgs []Mail) string {
	if len(msgs) == 0 {
		return "nothing"
	}
	out := ""
	for i, m := range msgs {
		out += fmt.Sprintf("\n  %d. to %v: %q", i+1, m.To, m.Subject)
	}
	return out
}
