package main

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"pinhole/internal/testio"
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

// startTmux runs pinhole with args on the data folder in a 100×30
// terminal; when pinhole ends, the pane says "pinhole exited STATUS".
func startTmux(t *testing.T, data, args string) tmux {
	t.Helper()
	return tmuxRun(t, fmt.Sprintf("%s --data %s %s", binary(t), data, args))
}

// tmuxRun runs a shell command line in a 100×30 terminal; when it ends,
// the pane says "pinhole exited STATUS".
func tmuxRun(t *testing.T, command string) tmux {
	t.Helper()
	testio.NeedPrograms(t, "tmux")
	x := tmux{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock"), session: "pinhole"}
	x.run("new-session", "-d", "-s", x.session, "-x", "100", "-y", "30", "-e", "TERM=xterm-256color",
		command+"; echo pinhole exited $?; sleep 60")
	t.Cleanup(func() { exec.Command("tmux", "-S", x.sock, "kill-server").Run() })
	return x
}

func TestTUI_SmokeInTmux(t *testing.T) {
	x := startTmux(t, t.TempDir(), "tui")

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

func TestTUI_PlainPinholeServesTheWebsite(t *testing.T) {
	data := t.TempDir()
	x := startTmux(t, data, "--http 127.0.0.1:0")

	pane := x.waitFor("website http://127.0.0.1:")
	m := regexp.MustCompile(`website (http://127\.0\.0\.1:\d+)`).FindStringSubmatch(pane)
	if m == nil {
		t.Fatalf("no address in the status bar:\n%s", pane)
	}
	resp, err := http.Get(m[1] + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %s", resp.Status)
	}
	x.keys("q")
	x.waitFor("pinhole exited 0")
	if _, err := http.Get(m[1] + "/healthz"); err == nil {
		t.Error("the website still answers after quitting")
	}
	if b, err := os.ReadFile(filepath.Join(data, "pinhole.log")); err != nil || !strings.Contains(string(b), "/healthz") {
		t.Errorf("pinhole.log does not have the request log: %v\n%s", err, b)
	}
}

// Over ssh -tt, keys typed at full speed arrive together: each one counts,
// and those typed ahead of a screen change reach the next screen.
func TestTUI_FastTypingOverSSH(t *testing.T) {
	testio.NeedPrograms(t, "ssh", "ssh-keygen", "tmux")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	c := &cliRunner{t: t, data: data}
	key := c.addAdmin(dir)
	s := serve(t, data)
	if r := s.ssh(t, key, "", "config", "set", "base-url", "https://photos.example.com"); r.code != 0 {
		t.Fatalf("config set base-url: exit %d: %s", r.code, r.stderr)
	}
	var okafor galleryJSON
	s.sshJSON(t, key, &okafor, "gallery", "create", "--title", "'Okafor family'", "--json")
	for _, title := range []string{"Alpha", "Bravo", "Müller headshots"} {
		var g galleryJSON
		s.sshJSON(t, key, &g, "gallery", "create", "--title", "'"+title+"'", "--json")
	}

	x := tmuxRun(t, "ssh "+strings.Join(testio.SSHOptions(key), " ")+" -tt -p "+s.sshPort+" admin@127.0.0.1")
	// The status bar shows where clients reach the website.
	x.waitFor("website https://photos.example.com")
	x.waitFor("4 galleries")
	// Newest first: the fourth row is Okafor family.
	x.keys("-l", "jjj\r")
	x.waitFor(okafor.Slug)
	x.keys("Escape")
	x.waitFor("4 galleries")
	x.keys("-l", "gg/okaf\r\r")
	// The slug shows while the screen loads ("Loading SLUG…"): wait for
	// the loaded screen, then check it is Okafor family's.
	pane := x.waitFor("SETTINGS")
	if !strings.Contains(pane, okafor.Slug) {
		t.Fatalf("/okaf and enter did not open Okafor family:\n%s", pane)
	}
	x.keys("Escape")
	x.waitFor("1 of 4 galleries match")
	x.keys("-l", "nSmith wedding")
	x.keys("C-s")
	x.waitFor("Created “Smith wedding”")
	x.keys("C-c")
	x.waitFor("pinhole exited 0")
}

// In tmux, a copy reaches tmux's clipboard (with set-clipboard on; the
// same copy also goes through to the outer terminal where tmux allows
// passthrough).
func TestTUI_CopyInTmux(t *testing.T) {
	data := t.TempDir()
	c := &cliRunner{t: t, data: data}
	var g galleryJSON
	c.ok(&g, "gallery", "create", "--title", "Smith wedding")
	x := startTmux(t, data, "tui")
	x.run("set-option", "-g", "set-clipboard", "on")
	x.waitFor("1 gallery")
	x.keys("s")
	x.waitFor("LINK")
	x.keys("l")
	x.waitFor("copied if your terminal supports it")
	want := "http://localhost:8080/g/" + g.Slug
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got = x.run("show-buffer"); got == want {
			break
		}
	}
	if got != want {
		t.Errorf("tmux's clipboard holds %q, want %q", got, want)
	}
	x.keys("q")
	x.waitFor("pinhole exited 0")
}

// The QR code of a gallery's link scans from what the terminal shows:
// beside the texts at 120×40, full screen (Q) at 80×24.
func TestTUI_QRCodeScansFromTheTerminal(t *testing.T) {
	data := t.TempDir()
	c := &cliRunner{t: t, data: data}
	var g galleryJSON
	c.ok(&g, "gallery", "create", "--title", "Smith wedding")
	want := "http://localhost:8080/g/" + g.Slug
	x := startTmux(t, data, "tui")
	x.run("resize-window", "-t", x.session, "-x", "120", "-y", "40")
	x.waitFor("1 gallery")
	x.keys("s")
	if got := testio.DecodeQR(t, x.waitFor("Scan to open the link")); got != want {
		t.Errorf("120×40: the QR code reads %q, want %q", got, want)
	}
	x.run("resize-window", "-t", x.session, "-x", "80", "-y", "24")
	x.waitFor("scroll for the rest") // the QR code does not fit beside the texts
	x.keys("Q")
	if got := testio.DecodeQR(t, x.waitFor("esc closes")); got != want {
		t.Errorf("80×24: the QR code reads %q, want %q", got, want)
	}
	x.keys("Escape")
	x.waitFor("LINK")
	x.keys("q")
	x.waitFor("pinhole exited 0")
}

// The TUI run with --replicate streams what the photographer does while
// it runs: a gallery made in it is in the replica before quitting.
func TestTUI_Replicates(t *testing.T) {
	rep := "file://" + t.TempDir()
	x := startTmux(t, t.TempDir(), "tui --replicate "+rep)
	x.waitFor("No galleries yet")
	x.keys("n")
	x.waitFor("New gallery")
	x.keys("-l", "Replicated wedding")
	x.keys("C-s")
	x.waitFor("Created “Replicated wedding”")
	c := newCLI(t)
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(250 * time.Millisecond) {
		os.RemoveAll(c.data)
		if r := c.run("", "restore", rep); r.code == 0 {
			if l := c.run("", "gallery", "list"); strings.Contains(l.stdout, "Replicated wedding") {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the gallery made in the TUI is not in the replica after 15 s")
		}
	}
	x.keys("q")
	x.waitFor("pinhole exited 0")
}

// Plain pinhole --base-url URL serves the website with URL as its address
// for clients: the TUI beside it hands out links on URL too (shown and
// copied), not on the base-url setting, and does not say that links open
// only on this computer. The status bar still shows where the website
// listens here.
func TestTUI_PlainPinholeBaseURL(t *testing.T) {
	data := t.TempDir()
	c := &cliRunner{t: t, data: data}
	var g galleryJSON
	c.ok(&g, "gallery", "create", "--title", "Smith wedding")
	const base = "https://photos.example.com"
	want := base + "/g/" + g.Slug
	x := startTmux(t, data, "--http 127.0.0.1:0 --base-url "+base)
	x.run("set-option", "-g", "set-clipboard", "on")
	x.waitFor("website http://127.0.0.1:")
	x.waitFor("1 gallery")
	time.Sleep(300 * time.Millisecond) // the settings load: the warning would follow
	x.keys("s")
	pane := x.waitFor("LINK")
	if !strings.Contains(pane, want) {
		t.Errorf("the share screen does not show %s:\n%s", want, pane)
	}
	x.keys("l")
	pane = x.waitFor("copied if your terminal supports it")
	var got string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if got = x.run("show-buffer"); got == want {
			break
		}
	}
	if got != want {
		t.Errorf("tmux's clipboard holds %q, want %q", got, want)
	}
	if strings.Contains(pane, "only on this computer") || strings.Contains(pane, "localhost") {
		t.Errorf("links start with %s, but the TUI speaks of this computer:\n%s", base, pane)
	}
	x.keys("q")
	x.waitFor("pinhole exited 0")
}
