//go:build unix

package web

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system) the test process has used so
// far. On a machine shared with other work, a benchmark's CPU time per
// operation moves far less with the load than its wall time does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
