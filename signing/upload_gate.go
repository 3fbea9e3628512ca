package signing

import (
	"fmt"
	"sync"
	"time"
)

// DefaultUploadsPerAccount is how many uploads one organization may have being checked at once.
const DefaultUploadsPerAccount = 2

// uploadRetryAfter is what a refused upload is told to wait: about one intake check.
const uploadRetryAfter = 10 * time.Second

// uploadGate counts uploads in flight per organization, so one account cannot occupy every PDF worker.
type uploadGate struct {
	mu    sync.Mutex
	limit int
	n     map[string]int
}

func newUploadGate(limit int) *uploadGate {
	if limit <= 0 {
		limit = DefaultUploadsPerAccount
	}
	return &uploadGate{limit: limit, n: map[string]int{}}
}

// enter admits one more upload of org, or refuses it with a RateLimitError; leave must be called once admitted.
func (g *uploadGate) enter(org string) (leave func(), err error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.n[org] >= g.limit {
		return nil, &RateLimitError{RetryAfter: uploadRetryAfter, Message: fmt.Sprintf(
			"Your account already has %d uploads being checked. Wait until they finish, then upload this file again.", g.limit)}
	}
	g.n[org]++
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			if g.n[org]--; g.n[org] <= 0 {
				delete(g.n, org)
			}
		})
	}, nil
}

func (g *uploadGate) inFlight(org string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n[org]
}

// UploadsInFlight is how many uploads of the organization are being checked now.
func (s *Service) UploadsInFlight(orgID string) int { return s.uploads.inFlight(orgID) }
