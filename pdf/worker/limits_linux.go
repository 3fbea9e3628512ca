package worker

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// childTimeout is longer than any parent timeout: the child never gives up on its own and answers early
// while pdfcpu keeps running in the background.
const childTimeout = 24 * time.Hour

// capResources lets the address space grow by at most mem bytes beyond what the runtime has reserved at start
// (about 1.5 GiB of mostly untouched reservations, which varies from run to run), aims the Go heap at 3/4 of mem
// so the collector works harder before an allocation fails, and caps CPU time at cpu seconds as a backstop to
// the parent's wall clock.
func capResources(mem, cpu int64) error {
	if mem > 0 {
		debug.SetMemoryLimit(mem / 4 * 3)
		base, err := addressSpace()
		if err != nil {
			return err
		}
		as := uint64(base + mem)
		if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: as, Max: as}); err != nil {
			return fmt.Errorf("limit address space: %w", err)
		}
	}
	if cpu > 0 {
		if err := syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: uint64(cpu), Max: uint64(cpu) + 5}); err != nil {
			return fmt.Errorf("limit CPU time: %w", err)
		}
	}
	return nil
}

// addressSpace is this process's virtual size now, the first field of /proc/self/statm (in pages).
func addressSpace() (int64, error) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, fmt.Errorf("read address space: %w", err)
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		return 0, fmt.Errorf("read address space: empty /proc/self/statm")
	}
	pages, err := strconv.ParseInt(f[0], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("read address space: %w", err)
	}
	return pages * int64(os.Getpagesize()), nil
}

// cpuSeconds is the user and system time this process has used so far.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}
