//go:build unix

package worker

import (
	"os"
	"runtime"
	"syscall"
)

// maxRSS is the child's peak resident memory in bytes; Linux reports ru_maxrss in KiB, macOS in bytes.
func maxRSS(st *os.ProcessState) int64 {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss)
	}
	return int64(ru.Maxrss) * 1024
}
