package notify

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Default ports: 465 for smtps (implicit TLS), 587 (submission) for smtp with a user,
// 25 for smtp without one (an unauthenticated relay).
const (
	DefaultSMTPPort       = 25
	DefaultSubmissionPort = 587
	DefaultSMTPSPort      = 465
	// DefaultTimeout bounds dialling and the whole SMTP conversation of one Send.
	DefaultTimeout = 15 * time.Second
)

// smtpConfig is everything NewSMTPMailer learnt from the URL and options.
type smtpConfig struct {
	host      string
	port      int
	implicit  bool             // smtps: TLS from the first byte
	tlsPolicy gomail.TLSPolicy // STARTTLS policy for smtp
	user      string
	pass      string
	auth      gomail.SMTPAuthType
	timeout   time.Duration
	tlsConfig *tls.Config
}

// Option adjusts an SMTPMailer beyond what the URL says.
type Option func(*smtpConfig)

// WithTimeout replaces DefaultTimeout; a context deadline that comes sooner still wins.
func WithTimeout(d time.Duration) Option {
	return func(c *smtpConfig) {
		if d > 0 {
			c.timeout = d
		}
	}
}

// WithTLSConfig sets the TLS client configuration (e.g. a private CA in tests);
// ServerName defaults to the URL's host.
func WithTLSConfig(cfg *tls.Config) Option {
	return func(c *smtpConfig) { c.tlsConfig = cfg.Clone() }
}

// authMechanisms are the names accepted in ?auth=; PLAIN and LOGIN still refuse to
// send a password in clear to anything but localhost.
var authMechanisms = map[string]gomail.SMTPAuthType{
	"PLAIN":              gomail.SMTPAuthPlain,
	"LOGIN":              gomail.SMTPAuthLogin,
	"CRAM-MD5":           gomail.SMTPAuthCramMD5,
	"XOAUTH2":            gomail.SMTPAuthXOAUTH2,
	"SCRAM-SHA-1":        gomail.SMTPAuthSCRAMSHA1,
	"SCRAM-SHA-1-PLUS":   gomail.SMTPAuthSCRAMSHA1PLUS,
	"SCRAM-SHA-256":      gomail.SMTPAuthSCRAMSHA256,
	"SCRAM-SHA-256-PLUS": gomail.SMTPAuthSCRAMSHA256PLUS,
}

// parseSMTPURL reads smtp[s]://[user[:pass]@]host[:port][?tls=…&auth=…&timeout=…].
// Errors never repeat the password: they quote the redacted URL or nothing.
func parseSMTPURL(raw string) (smtpConfig, error) {
	c := smtpConfig{timeout: DefaultTimeout, tlsPolicy: gomail.TLSOpportunistic}
	if strings.TrimSpace(raw) == "" {
		return c, errors.New("SMTP URL is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error quotes the whole URL, password included
		}
		return c, fmt.Errorf("invalid SMTP URL: %v", err)
	}
	switch u.Scheme {
	case "smtp":
	case "smtps":
		c.implicit = true
	default:
		return c, fmt.Errorf("invalid SMTP URL %q: scheme must be smtp or smtps", u.Redacted())
	}
	if c.host = u.Hostname(); c.host == "" {
		return c, fmt.Errorf("invalid SMTP URL %q: missing host", u.Redacted())
	}
	if u.Path != "" && u.Path != "/" {
		return c, fmt.Errorf("invalid SMTP URL %q: unexpected path %q", u.Redacted(), u.Path)
	}
	if u.User != nil {
		c.user = u.User.Username()
		c.pass, _ = u.User.Password()
	}
	if c.port, err = smtpPort(u.Port(), c.implicit, c.user != ""); err != nil {
		return c, fmt.Errorf("invalid SMTP URL %q: %v", u.Redacted(), err)
	}
	if err := c.applyQuery(u.Query()); err != nil {
		return c, fmt.Errorf("invalid SMTP URL %q: %v", u.Redacted(), err)
	}
	return c, nil
}

// smtpPort picks the explicit port or the conventional default for the scheme.
func smtpPort(p string, implicit, hasUser bool) (int, error) {
	switch {
	case p != "":
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return 0, fmt.Errorf("port %q is not a number between 1 and 65535", p)
		}
		return n, nil
	case implicit:
		return DefaultSMTPSPort, nil
	case hasUser:
		return DefaultSubmissionPort, nil
	default:
		return DefaultSMTPPort, nil
	}
}

// applyQuery reads tls, auth and timeout; unknown keys are errors so typos do not
// silently weaken the connection.
func (c *smtpConfig) applyQuery(q url.Values) error {
	for key, vals := range q {
		v := vals[len(vals)-1]
		switch key {
		case "tls":
			if err := c.setTLS(v); err != nil {
				return err
			}
		case "auth":
			mech, ok := authMechanisms[strings.ToUpper(v)]
			if !ok {
				return fmt.Errorf("unknown auth mechanism %q", v)
			}
			c.auth = mech
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return fmt.Errorf("timeout %q is not a positive duration like 30s", v)
			}
			c.timeout = d
		default:
			return fmt.Errorf("unknown parameter %q (known: tls, auth, timeout)", key)
		}
	}
	if c.auth != "" && c.user == "" {
		return errors.New("auth is set but the URL has no user")
	}
	return nil
}

// setTLS maps ?tls= to a STARTTLS policy; smtps is always TLS and takes no tls=.
func (c *smtpConfig) setTLS(v string) error {
	if c.implicit {
		return errors.New("tls= does not apply to smtps (always TLS)")
	}
	switch strings.ToLower(v) {
	case "none":
		c.tlsPolicy = gomail.NoTLS
	case "opportunistic", "":
		c.tlsPolicy = gomail.TLSOpportunistic
	case "required", "starttls":
		c.tlsPolicy = gomail.TLSMandatory
	default:
		return fmt.Errorf("tls=%q: use none, opportunistic or required", v)
	}
	return nil
}

// clientOptions turns the config into go-mail options for one connection.
func (c *smtpConfig) clientOptions(timeout time.Duration) []gomail.Option {
	tlsCfg := c.tlsConfig
	if tlsCfg == nil {
		tlsCfg = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	if tlsCfg.ServerName == "" {
		tlsCfg = tlsCfg.Clone()
		tlsCfg.ServerName = c.host
	}
	opts := []gomail.Option{
		gomail.WithPort(c.port),
		gomail.WithTimeout(timeout),
		gomail.WithTLSConfig(tlsCfg),
		gomail.WithTLSPolicy(c.tlsPolicy),
	}
	if c.implicit {
		opts = append(opts, gomail.WithSSL())
	}
	if c.user != "" {
		auth := c.auth
		if auth == "" {
			auth = gomail.SMTPAuthAutoDiscover // strongest offered; PLAIN/LOGIN only under TLS
		}
		opts = append(opts, gomail.WithSMTPAuth(auth), gomail.WithUsername(c.user), gomail.WithPassword(c.pass))
	}
	return opts
}
