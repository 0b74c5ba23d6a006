package server

import (
	"net"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestConnLimiter_Acquire(t *testing.T) {
	now := time.Unix(1000, 0)
	l := newConnLimiter(3, 2, time.Second)
	l.now = func() time.Time { return now }
	a := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 1), Port: 1}
	b := &net.TCPAddr{IP: net.IPv4(10, 0, 0, 2), Port: 2}
	steps := []struct {
		addr    net.Addr
		advance time.Duration
		want    error
	}{
		{a, 0, nil},
		{a, 0, nil},
		{a, 0, errTooFast},           // burst of 2 spent
		{b, 0, nil},                  // another address has its own bucket
		{a, time.Second, errTooMany}, // a token back, but 3 are open
	}
	for i, s := range steps {
		now = now.Add(s.advance)
		if got := l.acquire(s.addr); got != s.want {
			t.Errorf("step %d: got %v, want %v", i, got, s.want)
		}
	}
	l.release()
	if got := l.acquire(a); got != nil {
		t.Errorf("after a release: %v", got)
	}
}

func TestEscapes(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"/", false}, {".", false}, {"", false}, {"/slug/a.jpg", false}, {"slug/../other", false},
		{"/slug/..", false}, {"/..", true}, {"..", true}, {"../x", true}, {"/slug/../../etc/passwd", true},
		{"./../x", true}, {"/a/./../../b", true}, {"..foo/x", false},
	}
	for _, tt := range tests {
		if got := escapes(tt.path); got != tt.want {
			t.Errorf("escapes(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestSSH_ConnectionLimits(t *testing.T) {
	t.Run("rate per address", func(t *testing.T) {
		ts := startServer(t, "", SSHConfig{Exec: echoExec, RateBurst: 2, RateEvery: time.Hour})
		for i := range 2 {
			if _, _, code := ts.ssh(t, "", ts.key, "echo"); code != 0 {
				t.Fatalf("connection %d refused", i+1)
			}
		}
		if _, _, code := ts.ssh(t, "", ts.key, "echo"); code != 255 {
			t.Errorf("third connection within the hour: exit %d, want refused", code)
		}
		if !strings.Contains(ts.logs.String(), "too many connections from this address") {
			t.Errorf("the refusal is not logged")
		}
	})
	t.Run("sessions at once", func(t *testing.T) {
		ts := startServer(t, "", SSHConfig{Exec: echoExec, TUI: screenTUI, MaxSessions: 1})
		args := append(sshOpts(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
		cmd := exec.Command("ssh", args...)
		stdin, _ := cmd.StdinPipe()
		out := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, out, "Galleries")
		if _, _, code := ts.ssh(t, "", ts.key, "echo"); code != 255 {
			t.Errorf("a second connection while one is open: exit %d, want refused", code)
		}
		stdin.Write([]byte("q"))
		if err := cmd.Wait(); err != nil {
			t.Errorf("first session: %v", err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, _, code := ts.ssh(t, "", ts.key, "echo")
			if code == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("the place was never freed: exit %d", code)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
