package sshd

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"pinhole/db"
	"pinhole/db/dbtest"
	"pinhole/internal/testio"
	"pinhole/media"
)

// keyPair makes a throwaway ed25519 key and returns the private key's
// path and the public key line.
func keyPair(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	path := testio.SSHKey(t, dir, name)
	pub, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	return path, strings.TrimSpace(string(pub))
}

type testServer struct {
	*SSH
	dir   string
	store *db.Store
	port  string
	key   string // the admin's private key
	logs  *testio.Buffer
	done  chan error
}

func addAdmin(t *testing.T, store *db.Store, name, pubLine string) {
	t.Helper()
	pub, _, _, _, err := gossh.ParseAuthorizedKey([]byte(pubLine))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.AddAdminKey(context.Background(), db.AdminKey{Name: name, PublicKey: pubLine, Fingerprint: gossh.FingerprintSHA256(pub)}); err != nil {
		t.Fatal(err)
	}
}

// startServer serves SSH on 127.0.0.1 with one admin key, over a fresh
// data folder unless dir is given.
func startServer(t *testing.T, dir string, cfg SSHConfig) *testServer {
	t.Helper()
	testio.NeedPrograms(t, "ssh", "scp", "sftp", "ssh-keygen")
	fresh := dir == ""
	if fresh {
		dir = t.TempDir()
	}
	store := dbtest.OpenAt(t, filepath.Join(dir, "pinhole.db"), nil)
	key := filepath.Join(dir, "admin")
	if fresh {
		var pub string
		key, pub = keyPair(t, dir, "admin")
		addAdmin(t, store, "admin", pub)
	}
	logs := &testio.Buffer{}
	cfg.Store = store
	cfg.HostKeyPath = filepath.Join(dir, HostKeyFile)
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	cfg.StageDir = filepath.Join(dir, "stage")
	cfg.DataDir = dir
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Library = lib
	s, err := NewSSH(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{SSH: s, dir: dir, store: store, key: key, logs: logs, done: make(chan error, 1)}
	_, ts.port, _ = net.SplitHostPort(ln.Addr().String())
	go func() { ts.done <- s.Serve(ln) }()
	t.Cleanup(func() { ts.stop(t) })
	return ts
}

func (ts *testServer) stop(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ts.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("shutdown: %v", err)
	}
	select {
	case err := <-ts.done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		// Already stopped by an earlier call.
	}
	if t.Failed() {
		t.Logf("server log:\n%s", ts.logs.String())
	}
}

// ssh runs the OpenSSH client against the server and returns its output and exit status.
func (ts *testServer) ssh(t *testing.T, stdin string, key string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	all := append(testio.SSHOptions(key), "-p", ts.port, "admin@127.0.0.1")
	return testio.Run(t, stdin, "ssh", append(all, args...)...)
}

// The commands over SSH are the command line's: arguments keep their
// quoting, stdin reaches them, their output and exit statuses come back
// as they are locally, and the log names the admin and the command.
func TestSSH_Exec(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	_, laptop := keyPair(t, t.TempDir(), "laptop")
	tests := []struct {
		name           string
		stdin          string
		args           []string
		outHas, errHas string
		code           int
	}{
		{"args keep their quoting", "", []string{"gallery", "create", "--title", "'Smith wedding'", "--access", "public"}, "Title      Smith wedding", "", 0},
		{"the same store", "", []string{"gallery", "list"}, "Smith wedding", "", 0},
		{"stdin", laptop + "\n", []string{"admin", "add", "laptop", "-"}, `Added admin key "laptop"`, "", 0},
		{"exit status", "", []string{"gallery", "show", "nope"}, "", `gallery "nope" not found`, 1},
		{"usage status", "", []string{"gallery", "frob"}, "", `unknown command "frob"`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errText, code := ts.ssh(t, tt.stdin, ts.key, tt.args...)
			if !strings.Contains(out, tt.outHas) || !strings.Contains(errText, tt.errHas) || code != tt.code {
				t.Errorf("got %q, %q, exit %d; want %q, %q, exit %d", out, errText, code, tt.outHas, tt.errHas, tt.code)
			}
		})
	}
	if logs := ts.logs.String(); !strings.Contains(logs, `admin=admin`) || !strings.Contains(logs, `command="gallery show" exit=1`) {
		t.Errorf("the log does not name the admin and the command:\n%s", logs)
	}
}

// session is what survive needs of an SSH session, to see what it does
// with a panic: no command or TUI of Pinhole panics on purpose.
type session struct {
	stderr bytes.Buffer
	code   int
}

func (s *session) Stderr() io.ReadWriter { return &s.stderr }
func (s *session) Exit(code int) error   { s.code = code; return nil }

func TestSurvive(t *testing.T) {
	logs := &testio.Buffer{}
	var sess session
	func() {
		defer survive(slog.New(slog.NewTextHandler(logs, nil)), &sess)
		panic("boom")
	}()
	if sess.code != 1 || !strings.Contains(sess.stderr.String(), "internal error") {
		t.Errorf("panic: exit %d, stderr %q; want 1 and a message that says internal error", sess.code, sess.stderr.String())
	}
	if !strings.Contains(logs.String(), "session panicked") || !strings.Contains(logs.String(), "boom") {
		t.Errorf("the panic is not logged: %s", logs.String())
	}
}

func TestSSH_NoCommandNoPTY(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	out, errText, code := ts.ssh(t, "", ts.key, "-T")
	if code != 2 || out != "" || !strings.Contains(errText, "gallery list --json") {
		t.Errorf("got %q, %q, exit %d; want the usage text and exit 2", out, errText, code)
	}
}

func TestSSH_UnknownKeyRefused(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	stranger, pub := keyPair(t, t.TempDir(), "stranger")
	_, errText, code := ts.ssh(t, "", stranger, "gallery", "list")
	if code != 255 || !strings.Contains(errText, "Permission denied (publickey)") {
		t.Errorf("stranger: exit %d, %q; want 255 and Permission denied (publickey)", code, errText)
	}
	k, _, _, _, _ := gossh.ParseAuthorizedKey([]byte(pub))
	fp := gossh.FingerprintSHA256(k)
	if logs := ts.logs.String(); !strings.Contains(logs, "unknown key refused") || !strings.Contains(logs, fp) {
		t.Errorf("the log does not name the refused key %s:\n%s", fp, logs)
	}
}

func TestSSH_NoPasswordAuth(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	for _, method := range []string{"password", "keyboard-interactive", "none"} {
		args := append(testio.SSHOptions(ts.key), "-o", "PreferredAuthentications="+method, "-o", "NumberOfPasswordPrompts=1",
			"-p", ts.port, "admin@127.0.0.1", "gallery", "list")
		_, errText, code := testio.Run(t, "", "ssh", args...)
		if code != 255 || !strings.Contains(errText, "Permission denied (publickey)") {
			t.Errorf("%s: exit %d, %q; want refused, with publickey the only method offered", method, code, errText)
		}
	}
}

func TestSSH_NoKeysHint(t *testing.T) {
	dir := t.TempDir()
	store, err := db.Open(context.Background(), filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	keyPair(t, dir, "admin")
	ts := startServer(t, dir, SSHConfig{}) // no admin key added
	ts.ssh(t, "", ts.key, "gallery", "list")
	if logs := ts.logs.String(); !strings.Contains(logs, "no admin keys yet") || !strings.Contains(logs, "pinhole admin add") {
		t.Errorf("no hint to add a key in the log:\n%s", logs)
	}
}

func TestSSH_HostKeyKeptAcrossRestarts(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	known := filepath.Join(t.TempDir(), "known_hosts")
	connect := func(ts *testServer, strict string) (string, int) {
		args := []string{"-F", "/dev/null", "-o", "StrictHostKeyChecking=" + strict, "-o", "UserKnownHostsFile=" + known,
			"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-i", ts.key, "-p", ts.port, "admin@127.0.0.1", "gallery", "list"}
		out, errText, code := testio.Run(t, "", "ssh", args...)
		return out + errText, code
	}
	if out, code := connect(ts, "accept-new"); code != 0 {
		t.Fatalf("first connection: exit %d: %s", code, out)
	}
	first := ts.HostKey().Marshal()
	fi, err := os.Stat(filepath.Join(ts.dir, HostKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("host key mode %v, want 0600", fi.Mode().Perm())
	}
	ts.stop(t)
	ts.store.Close()

	again := startServer(t, ts.dir, SSHConfig{})
	if !bytes.Equal(again.HostKey().Marshal(), first) {
		t.Errorf("host key changed after a restart")
	}
	// Pinned to the recorded key, on a new port: a changed key would fail.
	data, _ := os.ReadFile(known)
	os.WriteFile(known, bytes.ReplaceAll(data, []byte("]:"+ts.port+" "), []byte("]:"+again.port+" ")), 0o600)
	if out, code := connect(again, "yes"); code != 0 || !strings.Contains(out, "No galleries yet") {
		t.Errorf("after a restart, against the recorded host key: exit %d: %s", code, out)
	}
}

func (ts *testServer) goClient(t *testing.T) *gossh.Client {
	t.Helper()
	data, err := os.ReadFile(ts.key)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		t.Fatal(err)
	}
	client, err := gossh.Dial("tcp", "127.0.0.1:"+ts.port, &gossh.ClientConfig{
		User: "admin", Auth: []gossh.AuthMethod{gossh.PublicKeys(signer)},
		HostKeyCallback: gossh.FixedHostKey(ts.HostKey()), Timeout: 10 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { client.Close() })
	return client
}
