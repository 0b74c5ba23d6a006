package sshd

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"pinhole/internal/testio"
)

// screenModel is a stand-in TUI: it shows its size and quits on q.
type screenModel struct {
	t    terminal
	w, h int
}

func (m screenModel) Init() tea.Cmd { return nil }

func (m screenModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.w, m.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m screenModel) View() string {
	return m.t.Renderer.NewStyle().Bold(true).Render("Galleries") + fmt.Sprintf(" %dx%d by %s\n", m.w, m.h, m.t.Admin)
}

func screenTUI(ctx context.Context, t terminal) (tea.Model, []tea.ProgramOption) {
	return screenModel{t: t, w: t.Width, h: t.Height}, nil
}

func TestSSH_TUIWithOpenSSH(t *testing.T) {
	ts := startServer(t, "", SSHConfig{}, withTUI(screenTUI))
	args := append(sshOpts(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", args...)
	stdin, _ := cmd.StdinPipe()
	out := &testio.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "Galleries")
	io.WriteString(stdin, "q")
	if err := cmd.Wait(); err != nil {
		t.Errorf("ssh -tt: %v\n%s", err, out.String())
	}
}

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
// sessions each have their own program.
func TestSSH_TUIFollowsResizes(t *testing.T) {
	ts := startServer(t, "", SSHConfig{}, withTUI(screenTUI))
	client := ts.goClient(t)
	open := func(w, h int) (*gossh.Session, io.Writer, *testio.Buffer) {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &testio.Buffer{}
		sess.Stdout = out
		in, _ := sess.StdinPipe()
		if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		return sess, in, out
	}
	s1, in1, out1 := open(80, 24)
	s2, in2, out2 := open(100, 30)
	waitFor(t, out1, "80x24 by admin")
	waitFor(t, out2, "100x30 by admin")
	if err := s1.WindowChange(40, 120); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out1, "120x40")
	if strings.Contains(out2.String(), "120x40") {
		t.Errorf("a resize reached the other session")
	}
	if !strings.Contains(out1.String(), "\x1b[") {
		t.Errorf("no colours or styles for an xterm-256color terminal: %q", out1.String())
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
	ts := startServer(t, "", SSHConfig{}, withTUI(screenTUI))
	args := append(sshOpts(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
	cmd := exec.Command("ssh", args...)
	stdin, _ := cmd.StdinPipe() // open, silent
	defer stdin.Close()
	out := &testio.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, out, "Galleries")
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

// panicky is a TUI that panics on p.
type panicky struct{ screenModel }

func (m panicky) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && k.String() == "p" {
		panic("a bug in one screen")
	}
	next, cmd := m.screenModel.Update(msg)
	return panicky{next.(screenModel)}, cmd
}

func TestSSH_TUIPanicEndsOnlyThatSession(t *testing.T) {
	ts := startServer(t, "", SSHConfig{}, withTUI(func(ctx context.Context, t terminal) (tea.Model, []tea.ProgramOption) {
		return panicky{screenModel{t: t, w: t.Width, h: t.Height}}, nil
	}))
	client := ts.goClient(t)
	open := func() (*gossh.Session, io.Writer, *testio.Buffer) {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &testio.Buffer{}
		sess.Stdout = out
		in, _ := sess.StdinPipe()
		if err := sess.RequestPty("xterm", 24, 80, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, out, "Galleries")
		return sess, in, out
	}
	s1, in1, _ := open()
	s2, in2, _ := open()
	io.WriteString(in1, "p")
	done := make(chan error, 1)
	go func() { done <- s1.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the session with the panic did not end")
	}
	io.WriteString(in2, "q")
	if err := s2.Wait(); err != nil {
		t.Errorf("the other session: %v", err)
	}
	if _, _, code := ts.ssh(t, "", ts.key, "-T"); code != 2 {
		t.Errorf("the server does not answer after a panic: exit %d", code)
	}
}

// The styles follow each client's terminal: bold for an xterm, plain text
// for a dumb terminal, in two sessions at once.
func TestSSH_TUIColoursPerTerminal(t *testing.T) {
	ts := startServer(t, "", SSHConfig{}, withTUI(screenTUI))
	client := ts.goClient(t)
	screen := func(term string) string {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &testio.Buffer{}
		sess.Stdout = out
		in, _ := sess.StdinPipe()
		if err := sess.RequestPty(term, 24, 80, gossh.TerminalModes{}); err != nil {
			t.Fatal(err)
		}
		if err := sess.Shell(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, out, "80x24")
		io.WriteString(in, "q")
		sess.Wait()
		return out.String()
	}
	if got := screen("xterm-256color"); !strings.Contains(got, "\x1b[1mGalleries") {
		t.Errorf("xterm-256color: no bold title in %q", got)
	}
	if got := screen("dumb"); strings.Contains(got, "\x1b[1m") || !strings.Contains(got, "Galleries") {
		t.Errorf("dumb terminal: styles in %q", got)
	}
}
