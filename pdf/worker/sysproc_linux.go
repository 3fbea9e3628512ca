package worker

import "syscall"

// sysProcAttr makes the kernel kill a child whose parent dies, so no worker outlives the server.
func sysProcAttr() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
