package testio

import (
	"bytes"
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// SSHKey makes a throwaway ed25519 key pair in dir with ssh-keygen and
// returns the private key's file; the public key is beside it, in the
// same name with .pub.
func SSHKey(t testing.TB, dir, name string) string {
	t.Helper()
	NeedPrograms(t, "ssh-keygen")
	path := filepath.Join(dir, name)
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name+"@test", "-f", path).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
	return path
}

// SSHOptions are the options every OpenSSH client (ssh, scp, sftp) of the
// tests runs with: no configuration, no known hosts, only the given key,
// never a question.
func SSHOptions(key string) []string {
	return []string{"-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-i", key}
}

// Run runs a program with stdin and returns its output and exit status;
// it fails the test when the program cannot run or takes two minutes.
func Run(t testing.TB, stdin, name string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		t.Fatalf("%s %s: still running after 2 minutes", name, strings.Join(args, " "))
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	}
	return out.String(), errb.String(), code
}
