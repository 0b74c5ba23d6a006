package testio

import (
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Missing ends a test that needs something not installed here: it skips,
// except on CI (CI set), where .ci/run installs everything the tests drive
// and its absence is a failure.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format+" (CI needs it)", args...)
	}
	t.Skipf(format, args...)
}

// NeedPrograms checks that programs a test runs are on PATH (system
// packages: ssh, tmux, caddy…), and calls Missing for the first that is
// not.
func NeedPrograms(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := exec.LookPath(n); err != nil {
			Missing(t, "%s is not installed (.ci/run installs it)", n)
		}
	}
}

// GoProgram finds a Go-built server on PATH or where go install puts it
// (GOBIN, else GOPATH/bin), which need not be on PATH. Without it, Missing
// with the command that installs it.
func GoProgram(t testing.TB, name, install string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, dir := range goBins() {
		if p := filepath.Join(dir, name); isFile(p) {
			return p
		}
	}
	Missing(t, "%s is not installed (%s)", name, install)
	return ""
}

// goBins are the folders go install puts programs in, as the go command
// itself says (its environment and its config file).
func goBins() []string {
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return nil
	}
	// One line each; GOBIN's is empty unless set.
	gobin, gopath, _ := strings.Cut(string(out), "\n")
	if gobin = strings.TrimSpace(gobin); gobin != "" {
		return []string{gobin}
	}
	var dirs []string
	for _, p := range filepath.SplitList(strings.TrimSpace(gopath)) {
		dirs = append(dirs, filepath.Join(p, "bin"))
	}
	return dirs
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// FreeAddr is a loopback address (127.0.0.1:PORT) nobody listens on right
// now: for a server a test starts as another process, or for a server
// that is away.
func FreeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
