package web

import (
	"strings"
	"testing"
	"time"

	"pinhole/internal/testio"
)

// TestLogWriter: lines come out in order, on Flush, after the interval
// on their own, and at once when 64 kB wait.
func TestLogWriter(t *testing.T) {
	var out testio.Buffer
	lw := NewLogWriter(&out, time.Hour)
	lw.Write([]byte("one\n"))
	lw.Write([]byte("two\n"))
	if out.String() != "" {
		t.Fatalf("written before the interval: %q", out.String())
	}
	lw.Flush()
	if got := out.String(); got != "one\ntwo\n" {
		t.Fatalf("after Flush: %q", got)
	}
	lw.Write([]byte(strings.Repeat("x", 64<<10)))
	if got := len(out.String()); got != 8+64<<10 {
		t.Fatalf("a full buffer: %d bytes out", got)
	}

	var later testio.Buffer
	lw = NewLogWriter(&later, 10*time.Millisecond)
	lw.Write([]byte("three\n"))
	for deadline := time.Now().Add(5 * time.Second); later.String() != "three\n"; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("not written after the interval: %q", later.String())
		}
	}
}
