package main

import (
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCLI_SecondInterruptEnds: the first Ctrl-C asks a command to stop
// cleanly; one stuck where it cannot notice (here reading a key from a
// named pipe nobody writes to) ends at the second, as programs do.
func TestCLI_SecondInterruptEnds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := binary(t)
	dir := t.TempDir()
	fifo := filepath.Join(dir, "key.pub")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "--data", filepath.Join(dir, "data"), "admin", "add", "me", fifo)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(500 * time.Millisecond)
	// Ctrl-C again and again, as a user would: a loaded machine may take
	// a while to act on the first, and without the fix none ends it.
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for {
		cmd.Process.Signal(syscall.SIGINT)
		select {
		case <-done:
			return
		case <-tick.C:
		case <-deadline:
			cmd.Process.Kill()
			<-done
			t.Fatal("still running 10 s after repeated Ctrl-C")
		}
	}
}
