package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmux drives a real terminal: pinhole runs in a detached session of a
// private tmux server, so the test neither sees nor disturbs the user's.
type tmux struct {
	t             *testing.T
	sock, session string
}

func (x tmux) run(args ...string) string {
	x.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", x.sock, "-f", "/dev/null"}, args...)...).CombinedOutput()
	if err != nil {
		x.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (x tmux) keys(keys ...string) {
	x.t.Helper()
	x.run(append([]string{"send-keys", "-t", x.session}, keys...)...)
}

// waitFor waits until the pane shows want and returns the pane.
func (x tmux) waitFor(want string) string {
	x.t.Helper()
	var pane string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		pane = x.run("capture-pane", "-p", "-t", x.session)
		if strings.Contains(pane, want) {
			return pane
		}
	}
	x.t.Fatalf("the terminal never showed %q; it shows:\n%s", want, pane)
	return ""
}

func TestTUI_SmokeInTmux(t *testing.T) {
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("tmux is not installed (.ci/run installs it)")
		}
		t.Fatal("tmux is required in CI")
	}
	bin := binary(t)
	data := t.TempDir()
	x := tmux{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock"), session: "pinhole"}
	x.run("new-session", "-d", "-s", x.session, "-x", "100", "-y", "30", "-e", "TERM=xterm-256color",
		fmt.Sprintf("%s --data %s tui; echo pinhole exited $?; sleep 60", bin, data))
	t.Cleanup(func() { exec.Command("tmux", "-S", x.sock, "kill-server").Run() })

	x.waitFor("No galleries yet")
	x.keys("n")
	x.waitFor("New gallery")
	x.keys("-l", "Smoke test wedding")
	x.keys("C-s")
	x.waitFor("Created “Smoke test wedding”")
	x.keys("Escape")
	pane := x.waitFor("1 gallery")
	if !strings.Contains(pane, "Smoke test wedding") {
		t.Fatalf("the list does not show the new gallery:\n%s", pane)
	}
	x.keys("q")
	x.waitFor("pinhole exited 0")
}
