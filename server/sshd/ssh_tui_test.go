package sshd

import (
	"context"
	"io"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"pinhole/internal/testio"
	"pinhole/studio"
)

func TestSSH_TUIWithOpenSSH(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	args := append(testio.SSHOptions(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", args...)
	stdin, _ := cmd.StdinPipe()
	out := &testio.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "Pinhole")
	io.WriteString(stdin, "q")
	if err := cmd.Wait(); err != nil {
		t.Errorf("ssh -tt: %v\n%s", err, out.String())
	}
}

// openTUI opens an interactive session of w×h cells on a terminal of
// type term: the TUI, its keyboard, and what it draws.
func openTUI(t *testing.T, client *gossh.Client, term string, w, h int) (*gossh.Session, io.Writer, *testio.Buffer) {
	t.Helper()
	sess, err := client.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out := &testio.Buffer{}
	sess.Stdout = out
	in, _ := sess.StdinPipe()
	if err := sess.RequestPty(term, h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	return sess, in, out
}

// boldRun is an SGR sequence that turns bold on.
var boldRun = regexp.MustCompile(`\x1b\[(?:[0-9;]*;)?1(?:;[0-9;]*)?m`)

func waitFor(t *testing.T, out interface{ String() string }, want string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q on the screen:\n%q", want, out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// With a Go client the window can be resized: the TUI follows, and several
// sessions each have their own program. The status bar says "website"
// before the address only from 70 columns on.
func TestSSH_TUIFollowsResizes(t *testing.T) {
	const addr = "https://photos.example.com"
	ts := startServer(t, "", SSHConfig{Links: studio.Given{URL: addr}})
	client := ts.goClient(t)
	s1, in1, out1 := openTUI(t, client, "xterm-256color", 60, 24)
	s2, in2, out2 := openTUI(t, client, "xterm-256color", 100, 30)
	waitFor(t, out1, addr)
	waitFor(t, out2, "website "+addr)
	if strings.Contains(out1.String(), "website "+addr) {
		t.Errorf("60 columns drawn as if wider: %q", out1.String())
	}
	if err := s1.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out1, "website "+addr)
	if !strings.Contains(out1.String(), "\x1b[") {
		t.Errorf("no colours or styles for an xterm-256color terminal: %q", out1.String())
	}
	// The resize was the first session's alone: the second, asked to draw
	// its help, still draws 100 columns.
	seen := len(out2.String())
	io.WriteString(in2, "?")
	waitFor(t, out2, "page down")
	for _, l := range strings.Split(ansi.Strip(out2.String()[seen:]), "\n") {
		if w := ansi.StringWidth(strings.TrimRight(l, "\r")); w > 100 {
			t.Errorf("the other session drew a line %d columns wide: %q", w, l)
			break
		}
	}
	io.WriteString(in1, "q")
	io.WriteString(in2, "q")
	for _, s := range []*gossh.Session{s1, s2} {
		if err := s.Wait(); err != nil {
			t.Errorf("session end: %v", err)
		}
	}
}

func TestSSH_ShutdownEndsTUI(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	args := append(testio.SSHOptions(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
	cmd := exec.Command("ssh", args...)
	stdin, _ := cmd.StdinPipe() // open, silent
	defer stdin.Close()
	out := &testio.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "Pinhole")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	if err := ts.Shutdown(ctx); err != nil {
		t.Errorf("shutdown: %v", err)
	}
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("shutdown took %v", took)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		t.Errorf("the client was not let go")
	}
}

// The styles follow each client's terminal: bold for an xterm, plain text
// for a dumb terminal, in two sessions at once.
func TestSSH_TUIColoursPerTerminal(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	client := ts.goClient(t)
	screen := func(term string) string {
		sess, in, out := openTUI(t, client, term, 80, 24)
		waitFor(t, out, "No galleries yet")
		io.WriteString(in, "q")
		sess.Wait()
		return out.String()
	}
	// The open section: bold and underlined with styles, in brackets without.
	if got := screen("xterm-256color"); !boldRun.MatchString(got) || strings.Contains(got, "[1 Galleries]") {
		t.Errorf("xterm-256color: no bold text, or brackets in %q", got)
	}
	if got := screen("dumb"); boldRun.MatchString(got) || !strings.Contains(got, "[1 Galleries]") {
		t.Errorf("dumb terminal: styles, or no brackets in %q", got)
	}
}
