package testio

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// program writes an executable file name into dir and returns its path.
func program(t *testing.T, dir, name string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestGoProgram_NotOnPath: a server go install put in GOBIN, or in
// GOPATH/bin without GOBIN, is found although PATH does not name that
// folder (as on a machine where only Go's own bin is on PATH).
func TestGoProgram_NotOnPath(t *testing.T) {
	const name = "pinhole-testio-server"
	t.Run("GOBIN", func(t *testing.T) {
		want := program(t, t.TempDir(), name)
		t.Setenv("GOBIN", filepath.Dir(want))
		if got := GoProgram(t, name, "go install example.com/server@v1"); got != want {
			t.Errorf("GoProgram = %q, want %q", got, want)
		}
	})
	t.Run("GOPATH", func(t *testing.T) {
		gopath := t.TempDir()
		want := program(t, filepath.Join(gopath, "bin"), name)
		t.Setenv("GOBIN", "")
		t.Setenv("GOPATH", gopath)
		if got := GoProgram(t, name, "go install example.com/server@v1"); got != want {
			t.Errorf("GoProgram = %q, want %q", got, want)
		}
	})
}

// ending is a testing.TB that records how a helper ended the test.
type ending struct {
	testing.TB
	how, msg string
}

func (e *ending) Helper() {}
func (e *ending) Fatal(args ...any) {
	e.how, e.msg = "fail", fmt.Sprint(args...)
	runtime.Goexit()
}
func (e *ending) Fatalf(format string, args ...any) { e.Fatal(fmt.Sprintf(format, args...)) }
func (e *ending) Skipf(format string, args ...any) {
	e.how, e.msg = "skip", fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// end runs f on an ending in a goroutine of its own, as the testing
// package runs a test, and returns how it ended.
func end(f func(t testing.TB)) *ending {
	e := &ending{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(e)
	}()
	<-done
	return e
}

// TestMissing: a program that is not installed skips the test, except on
// CI, where it fails it; the message says how to install it.
func TestMissing(t *testing.T) {
	const install = "go install example.com/absent@v1"
	for _, tt := range []struct{ ci, want string }{{"", "skip"}, {"true", "fail"}} {
		t.Setenv("CI", tt.ci)
		t.Setenv("GOBIN", t.TempDir())
		e := end(func(t testing.TB) { GoProgram(t, "pinhole-testio-absent", install) })
		if e.how != tt.want || !strings.Contains(e.msg, install) {
			t.Errorf("CI=%q GoProgram: %s %q, want %s with %q", tt.ci, e.how, e.msg, tt.want, install)
		}
		e = end(func(t testing.TB) { NeedPrograms(t, "sh", "pinhole-testio-absent") })
		if e.how != tt.want || !strings.Contains(e.msg, "pinhole-testio-absent") {
			t.Errorf("CI=%q NeedPrograms: %s %q, want %s", tt.ci, e.how, e.msg, tt.want)
		}
	}
	if e := end(func(t testing.TB) { NeedPrograms(t, "sh") }); e.how != "" {
		t.Errorf("NeedPrograms(sh): %s %q", e.how, e.msg)
	}
}

// TestFreeAddr: the address is on loopback and free to listen on.
func TestFreeAddr(t *testing.T) {
	addr := FreeAddr(t)
	if !strings.HasPrefix(addr, "127.0.0.1:") {
		t.Fatalf("FreeAddr = %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	ln.Close()
}
