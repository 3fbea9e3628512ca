package accounts

import (
	"context"
	"encoding/base64"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/alexedwards/argon2id"
)

// Hasher runs every argon2id computation of the process through a few slots sized from a
// memory budget, so a flood of log-ins or sign-ups queues (then is refused) instead of
// allocating 64 MiB per request.
type Hasher struct {
	params      *argon2id.Params
	slots       chan struct{}
	wait        time.Duration
	evaluations atomic.Int64
}

// NewHasher allows budgetBytes/params.Memory hashes at once (at least one); a caller waits at
// most wait for a slot.
func NewHasher(params *argon2id.Params, budgetBytes int64, wait time.Duration) *Hasher {
	n := budgetBytes / (int64(params.Memory) * 1024)
	if n < 1 {
		n = 1
	}
	return &Hasher{params: params, slots: make(chan struct{}, n), wait: wait}
}

// Slots is how many hashes may run at once.
func (h *Hasher) Slots() int { return cap(h.slots) }

// Evaluations counts the argon2id computations done so far (tests read it).
func (h *Hasher) Evaluations() int64 { return h.evaluations.Load() }

func (h *Hasher) acquire(ctx context.Context) error {
	t := time.NewTimer(h.wait)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		h.evaluations.Add(1)
		return nil
	case <-t.C:
		return &BusyError{RetryAfter: busyRetryAfter}
	case <-ctx.Done():
		return fmt.Errorf("accounts: waiting to hash: %w", ctx.Err())
	}
}

// release frees the slot after collecting the finished hash's 64 MiB: it is garbage the moment
// argon2id returns, and collecting it before the slot is reused keeps the resident set near
// baseline + budget instead of the two to three times that the collector's pacing allows.
func (h *Hasher) release() {
	runtime.GC()
	<-h.slots
}

// Hash makes the argon2id hash of a new password.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
	hash, err := argon2id.CreateHash(password, h.params)
	if err != nil {
		return "", fmt.Errorf("accounts: unable to hash password: %w", err)
	}
	return hash, nil
}

// Compare checks a password against a stored hash; an empty hash is compared against a
// stand-in of the same cost, so an unknown email takes as long as a known one.
func (h *Hasher) Compare(ctx context.Context, password, hash string) (bool, error) {
	if hash == "" {
		hash = h.dummyHash()
	}
	if err := h.acquire(ctx); err != nil {
		return false, err
	}
	defer h.release()
	ok, err := argon2id.ComparePasswordAndHash(password, hash)
	if err != nil {
		return false, fmt.Errorf("accounts: unable to compare password: %w", err)
	}
	return ok, nil
}

// dummyHash is a well-formed hash with the hasher's parameters that no password matches
// (its key is all zeros); building it costs nothing, comparing against it costs a real hash.
func (h *Hasher) dummyHash() string {
	b64 := base64.RawStdEncoding
	salt := b64.EncodeToString([]byte(strings.Repeat("s", int(h.params.SaltLength))))
	key := b64.EncodeToString(make([]byte, h.params.KeyLength))
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", 19, h.params.Memory, h.params.Iterations, h.params.Parallelism, salt, key)
}

// Default budget and wait, for a zero configuration.
const (
	DefaultHashMemoryMiB = 256
	DefaultHashWait      = 3 * time.Second
)

// NewDefaultHasher uses argon2id's default parameters (64 MiB per hash) within budgetMiB.
func NewDefaultHasher(budgetMiB int64, wait time.Duration) *Hasher {
	if budgetMiB <= 0 {
		budgetMiB = DefaultHashMemoryMiB
	}
	if wait <= 0 {
		wait = DefaultHashWait
	}
	return NewHasher(argon2id.DefaultParams, budgetMiB<<20, wait)
}
