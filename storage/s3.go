package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"
)

// DefaultS3Timeout bounds one S3 operation (Put, Get, Delete, and the start-up
// check) unless the URL sets timeout=…; the caller's own deadline still applies
// when it is sooner.
const DefaultS3Timeout = 60 * time.Second

// s3Params are the query parameters an s3:// SIGNET_STORAGE_URL may carry. Any
// other name is refused, so a typo cannot silently drop a setting.
var s3Params = map[string]bool{
	"endpoint":   true,
	"region":     true,
	"secure":     true,
	"access_key": true,
	"secret_key": true,
	"timeout":    true,
}

// s3Config is a parsed s3:// SIGNET_STORAGE_URL.
type s3Config struct {
	Bucket    string
	Prefix    string // "" or a valid key without trailing slash
	Endpoint  string // host[:port]; "" means Amazon S3
	Region    string // "" lets minio discover it
	Secure    bool
	AccessKey string
	SecretKey string
	Timeout   time.Duration
}

// S3 stores each blob as one object in an S3-compatible bucket.
type S3 struct {
	client  *minio.Client
	bucket  string
	prefix  string // "" or ending in "/"
	timeout time.Duration
}

// s3Deps is what tests may replace; production uses the zero transport and
// minio's usual credential chain.
type s3Deps struct {
	transport http.RoundTripper      // nil: minio's default transport
	providers []credentials.Provider // consulted when the URL holds no keys
}

// defaultCredentialProviders is minio's usual chain: AWS_ACCESS_KEY_ID /
// AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN), MINIO_ROOT_USER /
// MINIO_ROOT_PASSWORD, ~/.aws/credentials (AWS_PROFILE), then IAM roles
// (EKS web identity, ECS task role, EC2 instance profile).
func defaultCredentialProviders() []credentials.Provider {
	return []credentials.Provider{
		&credentials.EnvAWS{},
		&credentials.EnvMinio{},
		&credentials.FileAWSCredentials{},
		&credentials.IAM{},
	}
}

func openS3(rawURL string, u *url.URL) (Blobs, error) {
	if strings.Contains(rawURL, "#") {
		// url.Parse silently cuts a secret at an unescaped '#'.
		return nil, errors.New("storage: SIGNET_STORAGE_URL contains '#'; write a '#' inside a value as %23")
	}
	secrets := secretsIn(u.RawQuery)
	cfg, err := parseS3URL(u)
	if err != nil {
		return nil, redact(err, secrets)
	}
	s, err := newS3(cfg, s3Deps{providers: defaultCredentialProviders()})
	if err != nil {
		return nil, redact(err, secrets)
	}
	return s, nil
}

var (
	paramName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,40}$`)
	// wordName is an unknown parameter name safe to quote back: letters and
	// underscores, like a mistyped setting, unlike a piece of a secret.
	wordName = regexp.MustCompile(`^[A-Za-z_]{1,40}$`)
)

// parseS3URL reads s3://BUCKET[/prefix]?endpoint=…&region=…&secure=…&access_key=…&secret_key=…&timeout=….
// Its errors never quote parameter values that could be secret.
func parseS3URL(u *url.URL) (s3Config, error) {
	const usage = "use s3://BUCKET[/prefix]?endpoint=host:port&region=…"
	cfg := s3Config{Secure: true, Timeout: DefaultS3Timeout}
	if u.Opaque != "" {
		return cfg, fmt.Errorf("storage: SIGNET_STORAGE_URL must start with s3:// (%s)", usage)
	}
	if u.User != nil {
		return cfg, errors.New("storage: SIGNET_STORAGE_URL must not carry user:password@; put credentials in access_key= and secret_key=, or in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	if u.Fragment != "" || u.RawFragment != "" {
		return cfg, errors.New("storage: SIGNET_STORAGE_URL contains '#'; write a '#' inside a value as %23")
	}
	if u.Host == "" {
		return cfg, fmt.Errorf("storage: SIGNET_STORAGE_URL names no bucket (%s)", usage)
	}
	if u.Port() != "" || strings.Contains(u.Host, ":") {
		return cfg, fmt.Errorf("storage: the host part of an s3:// URL is the bucket name, not a server; put the server in endpoint=host:port (%s)", usage)
	}
	cfg.Bucket = u.Host
	if err := s3utils.CheckValidBucketName(cfg.Bucket); err != nil {
		return cfg, fmt.Errorf("storage: invalid S3 bucket name %q: %w", cfg.Bucket, err)
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		if err := checkKey(p); err != nil {
			return cfg, fmt.Errorf("storage: invalid S3 key prefix %q: letters, digits, '.', '_', '-' and '/' only", p)
		}
		cfg.Prefix = p
	}

	params, err := parseQuery(u.RawQuery)
	if err != nil {
		return cfg, err
	}
	for name, v := range params {
		switch name {
		case "endpoint":
			if strings.Contains(v, "://") || strings.ContainsAny(v, "/?#@ ") {
				return cfg, fmt.Errorf("storage: SIGNET_STORAGE_URL endpoint=%q must be host or host:port, without scheme or path (add secure=false for plain http)", v)
			}
			cfg.Endpoint = v
		case "region":
			if strings.ContainsAny(v, " /?#&") {
				return cfg, fmt.Errorf("storage: SIGNET_STORAGE_URL region=%q is not a region name", v)
			}
			cfg.Region = v
		case "secure":
			switch v {
			case "true":
				cfg.Secure = true
			case "false":
				cfg.Secure = false
			default:
				return cfg, fmt.Errorf("storage: SIGNET_STORAGE_URL secure=%q: want true or false", v)
			}
		case "access_key":
			cfg.AccessKey = v
		case "secret_key":
			cfg.SecretKey = v
		case "timeout":
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return cfg, fmt.Errorf("storage: SIGNET_STORAGE_URL timeout=%q: want a positive duration such as 30s or 2m", v)
			}
			cfg.Timeout = d
		}
	}
	if (cfg.AccessKey == "") != (cfg.SecretKey == "") {
		return cfg, errors.New("storage: SIGNET_STORAGE_URL needs both access_key and secret_key, or neither (then AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or an IAM role are used)")
	}
	if !cfg.Secure && cfg.Endpoint == "" {
		return cfg, errors.New("storage: SIGNET_STORAGE_URL secure=false is only allowed together with an explicit endpoint")
	}
	return cfg, nil
}

// parseQuery splits a raw query strictly: every name must be known, given once
// and non-empty. Values are unescaped like paths, so a '+' in a secret key stays
// a '+' (url.ParseQuery would turn it into a space and break the signature).
func parseQuery(raw string) (map[string]string, error) {
	const hidden = "storage: SIGNET_STORAGE_URL has a malformed or unknown query parameter (not shown: it may be part of a secret key; write '&' inside a value as %26, '=' as %3D)"
	params := map[string]string{}
	if raw == "" {
		return params, nil
	}
	prev := ""
	for _, part := range strings.Split(raw, "&") {
		if part == "" {
			continue
		}
		rawName, rawValue, hasValue := strings.Cut(part, "=")
		name, err := url.PathUnescape(rawName)
		if err != nil || !paramName.MatchString(name) {
			return nil, errors.New(hidden)
		}
		if !s3Params[name] {
			// Quote it only when it looks like a mistyped setting, not like the
			// tail of a secret cut at an unescaped '&'.
			if !hasValue || !wordName.MatchString(name) || prev == "secret_key" {
				return nil, errors.New(hidden)
			}
			return nil, fmt.Errorf("storage: unknown SIGNET_STORAGE_URL parameter %q for s3:// (known: %s)", name, knownParams())
		}
		prev = name
		if !hasValue {
			return nil, fmt.Errorf("storage: SIGNET_STORAGE_URL parameter %q has no value", name)
		}
		if _, dup := params[name]; dup {
			return nil, fmt.Errorf("storage: SIGNET_STORAGE_URL parameter %q is given more than once", name)
		}
		value, err := url.PathUnescape(rawValue)
		if err != nil {
			return nil, fmt.Errorf("storage: SIGNET_STORAGE_URL parameter %q has an invalid %%-escape (write '%%' as %%25)", name)
		}
		if value == "" {
			return nil, fmt.Errorf("storage: SIGNET_STORAGE_URL parameter %q is empty", name)
		}
		params[name] = value
	}
	return params, nil
}

func knownParams() string {
	names := make([]string, 0, len(s3Params))
	for n := range s3Params {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// newS3 builds the client, makes sure it has credentials and that the bucket
// exists. It never creates the bucket: a missing one is a configuration error.
func newS3(cfg s3Config, deps s3Deps) (*S3, error) {
	var creds *credentials.Credentials
	if cfg.AccessKey != "" {
		creds = credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, "")
	} else {
		creds = credentials.NewChainCredentials(deps.providers)
	}
	endpoint, lookup := cfg.Endpoint, minio.BucketLookupPath
	if endpoint == "" {
		endpoint, lookup = "s3.amazonaws.com", minio.BucketLookupAuto
	}
	client, err := minio.New(endpoint, &minio.Options{
		Creds:        creds,
		Secure:       cfg.Secure,
		Region:       cfg.Region,
		BucketLookup: lookup,
		Transport:    deps.transport,
	})
	if err != nil {
		return nil, fmt.Errorf("storage: invalid S3 endpoint %q: %w", endpoint, err)
	}
	s := &S3{client: client, bucket: cfg.Bucket, timeout: cfg.Timeout}
	if cfg.Prefix != "" {
		s.prefix = cfg.Prefix + "/"
	}

	ctx, cancel := context.WithTimeout(context.Background(), cfg.Timeout)
	defer cancel()
	v, err := creds.GetWithContext(&credentials.CredContext{Context: ctx})
	if err != nil || v.SignerType.IsAnonymous() || v.AccessKeyID == "" {
		return nil, errors.New("storage: no S3 credentials: set access_key and secret_key in SIGNET_STORAGE_URL, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run with an IAM role")
	}
	exists, err := client.BucketExists(ctx, cfg.Bucket)
	if err != nil {
		return nil, fmt.Errorf("storage: unable to check S3 bucket %q at %s: %w", cfg.Bucket, client.EndpointURL(), err)
	}
	if !exists {
		return nil, fmt.Errorf("storage: S3 bucket %q does not exist at %s; create it first (Signet never creates buckets)", cfg.Bucket, client.EndpointURL())
	}
	return s, nil
}

// String names the store for start-up logs; it holds no credentials.
func (s *S3) String() string {
	return fmt.Sprintf("s3://%s/%s at %s", s.bucket, s.prefix, s.client.EndpointURL())
}

func (s *S3) object(key string) (string, error) {
	if err := checkKey(key); err != nil {
		return "", err
	}
	return s.prefix + key, nil
}

func contentType(key string) string {
	if strings.HasSuffix(strings.ToLower(key), ".pdf") {
		return "application/pdf"
	}
	return "application/octet-stream"
}

// Put uploads in one request (a PUT is atomic: readers see the old object or
// the new one, never half) with a Content-MD5 the server checks on arrival.
func (s *S3) Put(ctx context.Context, key string, data []byte) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	_, err = s.client.PutObject(ctx, s.bucket, name, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{
		ContentType:      contentType(key),
		SendContentMd5:   true,
		DisableMultipart: true,
		// Over plain http minio-go signs the body in aws-chunked form, which it
		// gets wrong for an empty body (no Content-Length is sent).
		DisableContentSha256: len(data) == 0,
	})
	if err != nil {
		return fmt.Errorf("storage: unable to store blob %q: %w", key, err)
	}
	return nil
}

// Get reads a blob; a missing object is ErrNotFound.
func (s *S3) Get(ctx context.Context, key string) ([]byte, error) {
	name, err := s.object(key)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	obj, err := s.client.GetObject(ctx, s.bucket, name, minio.GetObjectOptions{})
	if err == nil {
		defer obj.Close()
		var b []byte
		if b, err = io.ReadAll(obj); err == nil {
			return b, nil
		}
	}
	if minio.ToErrorResponse(err).Code == minio.NoSuchKey {
		return nil, ErrNotFound
	}
	return nil, fmt.Errorf("storage: unable to read blob %q: %w", key, err)
}

// Delete removes a blob; a missing one is not an error.
func (s *S3) Delete(ctx context.Context, key string) error {
	name, err := s.object(key)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	err = s.client.RemoveObject(ctx, s.bucket, name, minio.RemoveObjectOptions{})
	if err != nil && minio.ToErrorResponse(err).Code != minio.NoSuchKey {
		return fmt.Errorf("storage: unable to delete blob %q: %w", key, err)
	}
	return nil
}

// secretsIn returns the secret_key values of a raw query in every spelling
// that could surface in an error: as written, and unescaped both ways.
func secretsIn(rawQuery string) []string {
	var out []string
	for _, part := range strings.Split(rawQuery, "&") {
		name, v, ok := strings.Cut(part, "=")
		if !ok || v == "" || !strings.Contains(strings.ToLower(name), "secret") {
			continue
		}
		out = append(out, v)
		if p, err := url.PathUnescape(v); err == nil {
			out = append(out, p)
		}
		if q, err := url.QueryUnescape(v); err == nil {
			out = append(out, q)
		}
	}
	return out
}

// redactedError carries a message with the secrets cut out. It deliberately
// does not unwrap: the original error could print the secret.
type redactedError struct{ msg string }

func (e *redactedError) Error() string { return e.msg }

// redact returns err unchanged unless its message contains one of secrets.
func redact(err error, secrets []string) error {
	msg := err.Error()
	changed := false
	for _, s := range secrets {
		if s != "" && strings.Contains(msg, s) {
			msg = strings.ReplaceAll(msg, s, "[REDACTED]")
			changed = true
		}
	}
	if !changed {
		return err
	}
	return &redactedError{msg: msg}
}

// urlSyntaxError describes why SIGNET_STORAGE_URL failed to parse without
// repeating it: url.Parse's own error quotes the URL, secret key included.
func urlSyntaxError(err error) error {
	detail := "malformed URL"
	var escErr url.EscapeError
	var hostErr url.InvalidHostError
	switch {
	case errors.As(err, &escErr):
		detail = "a '%' not followed by two hexadecimal digits; write '%' as %25"
	case errors.As(err, &hostErr):
		detail = "invalid character in the host (bucket) part"
	}
	return fmt.Errorf("storage: SIGNET_STORAGE_URL is not a valid URL (%s); the value is not repeated here because it may contain a secret", detail)
}
