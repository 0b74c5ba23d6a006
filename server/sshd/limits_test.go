package sshd

import (
	"context"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
	"pinhole/internal/testio"
)

func TestConnLimiter_Acquire(t *testing.T) {
	clock := dbtest.NewClock(time.Unix(1000, 0))
	l := newConnLimiter(3, 2, time.Second)
	l.now = clock.Now
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
		clock.Add(s.advance)
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
		ts := startServer(t, "", SSHConfig{RateBurst: 2, RateEvery: time.Hour})
		for i := range 2 {
			if _, _, code := ts.ssh(t, "", ts.key, "gallery", "list"); code != 0 {
				t.Fatalf("connection %d refused", i+1)
			}
		}
		if _, _, code := ts.ssh(t, "", ts.key, "gallery", "list"); code != 255 {
			t.Errorf("third connection within the hour: exit %d, want refused", code)
		}
		if !strings.Contains(ts.logs.String(), "too many connections from this address") {
			t.Errorf("the refusal is not logged")
		}
	})
	t.Run("sessions at once", func(t *testing.T) {
		ts := startServer(t, "", SSHConfig{MaxSessions: 1})
		args := append(testio.SSHOptions(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
		cmd := exec.Command("ssh", args...)
		stdin, _ := cmd.StdinPipe()
		out := &testio.Buffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, out, "Pinhole")
		if _, _, code := ts.ssh(t, "", ts.key, "gallery", "list"); code != 255 {
			t.Errorf("a second connection while one is open: exit %d, want refused", code)
		}
		stdin.Write([]byte("q"))
		if err := cmd.Wait(); err != nil {
			t.Errorf("first session: %v", err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			_, _, code := ts.ssh(t, "", ts.key, "gallery", "list")
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

func TestSSH_IdleTimeout(t *testing.T) {
	ts := startServer(t, "", SSHConfig{IdleTimeout: 500 * time.Millisecond})
	args := append(testio.SSHOptions(ts.key), "-p", ts.port, "admin@127.0.0.1", "admin", "add", "laptop", "-")
	cmd := exec.Command("ssh", args...)
	stdin, _ := cmd.StdinPipe() // open and silent: admin add waits for the key
	defer stdin.Close()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err == nil {
			t.Errorf("an idle session ended as if it succeeded")
		}
		if took := time.Since(start); took < 400*time.Millisecond {
			t.Errorf("closed after %v, before the idle timeout", took)
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("an idle connection was not closed")
	}
}

func TestSSH_MaxUpload(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "", SSHConfig{MaxUpload: 1000})
	g, err := ts.store.CreateGallery(context.Background(), db.GalleryInput{Title: new("Big")})
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.jpg")
	if data := photo(t, "Landscape_0.jpg", big); len(data) <= 1000 {
		t.Fatalf("the photo has %d bytes, not more than the limit", len(data))
	}
	args := append(testio.SSHOptions(ts.key), "-P", ts.port, big, "admin@127.0.0.1:"+g.Slug+"/")
	if _, _, code := testio.Run(t, "", "scp", args...); code == 0 {
		t.Errorf("an upload over the limit succeeded")
	}
	if ps, _ := ts.store.Photos(context.Background(), g.ID); len(ps) != 0 {
		t.Errorf("%d photos after a refused upload", len(ps))
	}
}
