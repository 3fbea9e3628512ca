//go:build !unix

package worker

import "os"

func maxRSS(*os.ProcessState) int64 { return 0 }
