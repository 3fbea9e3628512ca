//go:build !linux

package worker

import (
	"runtime/debug"
	"time"
)

const childTimeout = 24 * time.Hour

// capResources can only set the heap goal here; the parent's wall clock remains the hard limit.
func capResources(mem, _ int64) error {
	if mem > 0 {
		debug.SetMemoryLimit(mem / 4 * 3)
	}
	return nil
}

func cpuSeconds() float64 { return 0 }
