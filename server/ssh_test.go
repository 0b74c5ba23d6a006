package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"pinhole/db"
)

// needOpenSSH skips without the OpenSSH client, except on CI, where its
// absence is a failure.
func needOpenSSH(t *testing.T) {
	t.Helper()
	for _, p := range []string{"ssh", "scp", "sftp", "ssh-keygen"} {
		if _, err := exec.LookPath(p); err != nil {
			if os.Getenv("CI") == "" {
				t.Skipf("%s not installed (apt-get install openssh-client)", p)
			}
			t.Fatalf("%s not installed, and CI is set: install openssh-client", p)
		}
	}
}

// syncBuffer is a log destination several goroutines may write.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// keyPair makes a throwaway ed25519 key with ssh-keygen and returns the
// private key's path and the public key line.
func keyPair(t *testing.T, dir, name string) (string, string) {
	t.Helper()
	path := filepath.Join(dir, name)
	out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name+"@test", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v: %s", err, out)
	}
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
	logs  *syncBuffer
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
func startServer(t *testing.T, dir string, cfg SSHConfig, prepare ...func(*db.Store, *SSHConfig)) *testServer {
	t.Helper()
	needOpenSSH(t)
	fresh := dir == ""
	if fresh {
		dir = t.TempDir()
	}
	store, err := db.Open(context.Background(), filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	key := filepath.Join(dir, "admin")
	if fresh {
		var pub string
		key, pub = keyPair(t, dir, "admin")
		addAdmin(t, store, "admin", pub)
	}
	logs := &syncBuffer{}
	cfg.Store = store
	cfg.HostKeyPath = filepath.Join(dir, HostKeyFile)
	cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	cfg.StageDir = filepath.Join(dir, "stage")
	for _, p := range prepare {
		p(store, &cfg)
	}
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

// sshOpts are the options every OpenSSH client here runs with: no
// configuration, no known hosts, only the given key.
func sshOpts(key string) []string {
	return []string{"-F", "/dev/null", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
		"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", "-o", "ConnectTimeout=10", "-i", key}
}

// ssh runs the OpenSSH client against the server and returns its output and exit status.
func (ts *testServer) ssh(t *testing.T, stdin string, key string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	all := append(sshOpts(key), "-p", ts.port, "admin@127.0.0.1")
	return run(t, stdin, "ssh", append(all, args...)...)
}

func run(t *testing.T, stdin, name string, args ...string) (string, string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("%s: %v", name, err)
	}
	return out.String(), errb.String(), code
}

func echoExec(ctx context.Context, c Command) int {
	switch c.Args[0] {
	case "echo":
		fmt.Fprintln(c.Stdout, strings.Join(c.Args[1:], "|"))
		return 0
	case "cat":
		io.Copy(c.Stdout, c.Stdin)
		return 0
	case "fail":
		fmt.Fprintln(c.Stderr, "it failed")
		code, _ := strconv.Atoi(c.Args[1])
		return code
	case "panic":
		panic("boom")
	case "admin":
		fmt.Fprintln(c.Stdout, c.Admin)
		return 0
	}
	return 127
}

func TestSSH_Exec(t *testing.T) {
	ts := startServer(t, "", SSHConfig{Exec: echoExec})
	tests := []struct {
		name         string
		stdin        string
		args         []string
		out, errText string
		code         int
	}{
		{"args keep their quoting", "", []string{"echo", "a", "'b c'"}, "a|b c\n", "", 0},
		{"stdin", "hello\nworld\n", []string{"cat"}, "hello\nworld\n", "", 0},
		{"exit status", "", []string{"fail", "1"}, "", "it failed\n", 1},
		{"usage status", "", []string{"fail", "2"}, "", "it failed\n", 2},
		{"who", "", []string{"admin"}, "admin\n", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errText, code := ts.ssh(t, tt.stdin, ts.key, tt.args...)
			if out != tt.out || errText != tt.errText || code != tt.code {
				t.Errorf("got %q, %q, exit %d; want %q, %q, exit %d", out, errText, code, tt.out, tt.errText, tt.code)
			}
		})
	}
}

func TestSSH_PanicEndsOnlyThatSession(t *testing.T) {
	ts := startServer(t, "", SSHConfig{Exec: echoExec})
	_, errText, code := ts.ssh(t, "", ts.key, "panic")
	if code == 0 || !strings.Contains(errText, "internal error") {
		t.Errorf("panic: exit %d, stderr %q; want a failure that says internal error", code, errText)
	}
	if out, _, code := ts.ssh(t, "", ts.key, "echo", "still", "here"); out != "still|here\n" || code != 0 {
		t.Errorf("after a panic: %q, exit %d", out, code)
	}
	if !strings.Contains(ts.logs.String(), "session panicked") {
		t.Errorf("the panic is not logged")
	}
}

func TestSSH_NoCommandNoPTY(t *testing.T) {
	ts := startServer(t, "", SSHConfig{Exec: echoExec})
	out, errText, code := ts.ssh(t, "", ts.key, "-T")
	if code != 2 || out != "" || !strings.Contains(errText, "gallery list --json") {
		t.Errorf("got %q, %q, exit %d; want the usage text and exit 2", out, errText, code)
	}
}

func TestSSH_UnknownKeyRefused(t *testing.T) {
	ts := startServer(t, "", SSHConfig{Exec: echoExec})
	stranger, pub := keyPair(t, t.TempDir(), "stranger")
	_, errText, code := ts.ssh(t, "", stranger, "echo", "hi")
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
	ts := startServer(t, "", SSHConfig{Exec: echoExec})
	for _, method := range []string{"password", "keyboard-interactive", "none"} {
		args := append(sshOpts(ts.key), "-o", "PreferredAuthentications="+method, "-o", "NumberOfPasswordPrompts=1",
			"-p", ts.port, "admin@127.0.0.1", "echo", "hi")
		_, errText, code := run(t, "", "ssh", args...)
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
	ts := startServer(t, dir, SSHConfig{Exec: echoExec}) // no admin key added
	ts.ssh(t, "", ts.key, "echo")
	if logs := ts.logs.String(); !strings.Contains(logs, "no admin keys yet") || !strings.Contains(logs, "pinhole admin add") {
		t.Errorf("no hint to add a key in the log:\n%s", logs)
	}
}

func TestSSH_HostKeyKeptAcrossRestarts(t *testing.T) {
	ts := startServer(t, "", SSHConfig{Exec: echoExec})
	known := filepath.Join(t.TempDir(), "known_hosts")
	connect := func(ts *testServer, strict string) (string, int) {
		args := []string{"-F", "/dev/null", "-o", "StrictHostKeyChecking=" + strict, "-o", "UserKnownHostsFile=" + known,
			"-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-i", ts.key, "-p", ts.port, "admin@127.0.0.1", "echo", "ok"}
		out, errText, code := run(t, "", "ssh", args...)
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

	again := startServer(t, ts.dir, SSHConfig{Exec: echoExec})
	if !bytes.Equal(again.HostKey().Marshal(), first) {
		t.Errorf("host key changed after a restart")
	}
	// Pinned to the recorded key, on a new port: a changed key would fail.
	data, _ := os.ReadFile(known)
	os.WriteFile(known, bytes.ReplaceAll(data, []byte("]:"+ts.port+" "), []byte("]:"+again.port+" ")), 0o600)
	if out, code := connect(again, "yes"); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("after a restart, against the recorded host key: exit %d: %s", code, out)
	}
}

// fakeImport stores uploads by SHA-256 and records them as photos, like
// the real pipeline does; a file whose content starts with "bad" fails.
func fakeImport(store *db.Store, dir string) (ImportFunc, func(string) string) {
	original := func(sha string) string { return filepath.Join(dir, sha) }
	return func(ctx context.Context, slug, path string) error {
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.HasPrefix(data, []byte("bad")) {
			return errors.New("not a photo: unsupported format")
		}
		g, err := store.Gallery(ctx, slug)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		sha := hex.EncodeToString(sum[:])
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(original(sha), data, 0o644); err != nil {
			return err
		}
		_, err = store.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: filepath.Base(path), SHA256: sha, Bytes: int64(len(data)), Width: 1, Height: 1})
		return err
	}, original
}

func TestSSH_SFTP(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "", SSHConfig{}, func(store *db.Store, cfg *SSHConfig) {
		cfg.Import, cfg.Original = fakeImport(store, filepath.Join(dir, "library"))
	})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: ptr("Smith wedding")})
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(dir, "local")
	os.MkdirAll(local, 0o755)
	os.WriteFile(filepath.Join(local, "one.jpg"), []byte("photo one"), 0o644)
	os.WriteFile(filepath.Join(local, "two words.jpg"), []byte("photo two"), 0o644)
	os.WriteFile(filepath.Join(local, "broken.jpg"), []byte("bad bytes"), 0o644)
	os.WriteFile(filepath.Join(local, "three.jpg"), []byte("photo three"), 0o644)

	sftp := func(batch string) (string, int) {
		t.Helper()
		bf := filepath.Join(dir, "batch")
		os.WriteFile(bf, []byte(batch), 0o644)
		args := append(sshOpts(ts.key), "-P", ts.port, "-b", bf, "admin@127.0.0.1")
		out, errText, code := run(t, "", "sftp", args...)
		return out + errText, code
	}

	// Upload: the broken file fails on its own, the others are imported.
	out, code := sftp(fmt.Sprintf("cd %s\nlcd %s\n-put one.jpg\n-put broken.jpg\n-put \"two words.jpg\"\nput three.jpg\nls -1\n", g.Slug, local))
	if code != 0 {
		t.Fatalf("sftp: exit %d:\n%s", code, out)
	}
	for _, want := range []string{"one.jpg", "two words.jpg", "three.jpg"} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("ls does not show %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "broken.jpg") || !strings.Contains(out, "Failure") {
		t.Errorf("the broken file's failure is not reported:\n%s", out)
	}
	ps, _ := ts.store.Photos(ctx, g.ID)
	if len(ps) != 3 {
		t.Errorf("%d photos after the upload, want 3", len(ps))
	}
	if !strings.Contains(ts.logs.String(), "import failed") {
		t.Errorf("the failed import is not logged")
	}

	// The top folder lists galleries; get downloads an original.
	got := filepath.Join(dir, "got.jpg")
	out, code = sftp(fmt.Sprintf("ls -1\nget \"%s/two words.jpg\" %s\n", g.Slug, got))
	if code != 0 || !strings.Contains(out, g.Slug) {
		t.Errorf("ls and get: exit %d:\n%s", code, out)
	}
	if data, _ := os.ReadFile(got); string(data) != "photo two" {
		t.Errorf("downloaded %q, want %q", data, "photo two")
	}

	// Escapes and links are refused (OpenSSH words some refusals as "not found").
	for _, cmd := range []string{
		"get ../../etc/passwd " + filepath.Join(dir, "x"),
		"get " + g.Slug + "/../../etc/passwd " + filepath.Join(dir, "x"),
		"put " + filepath.Join(local, "one.jpg") + " ../escape.jpg",
		"ls /..",
		"cd ..",
		"symlink " + g.Slug + "/one.jpg " + g.Slug + "/link.jpg",
		"ln " + g.Slug + "/one.jpg " + g.Slug + "/link.jpg",
	} {
		before := strings.Count(ts.logs.String(), "sftp: refused")
		out, code := sftp(cmd + "\n")
		if code == 0 {
			t.Errorf("%s: succeeded, want refused:\n%s", cmd, out)
		}
		if strings.Count(ts.logs.String(), "sftp: refused") == before {
			t.Errorf("%s: not refused by the guard", cmd)
		}
	}
	if out, _ := sftp("cd ..\n"); !strings.Contains(out, "may not leave the top folder") {
		t.Errorf("cd .. does not say why it is refused:\n%s", out)
	}
	for _, cmd := range []string{"get /etc/passwd " + filepath.Join(dir, "x"), "mkdir newgallery", "rm " + g.Slug + "/one.jpg"} {
		if out, code := sftp(cmd + "\n"); code == 0 {
			t.Errorf("%s: succeeded, want refused:\n%s", cmd, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Errorf("an escape downloaded a file")
	}
	if !strings.Contains(ts.logs.String(), "sftp: refused") {
		t.Errorf("refusals are not logged")
	}

	// scp speaks SFTP since OpenSSH 9.
	os.WriteFile(filepath.Join(local, "four.jpg"), []byte("photo four"), 0o644)
	args := append(sshOpts(ts.key), "-P", ts.port, filepath.Join(local, "four.jpg"), filepath.Join(local, "broken.jpg"),
		filepath.Join(local, "one.jpg"), "admin@127.0.0.1:"+g.Slug+"/")
	_, errText, code := run(t, "", "scp", args...)
	if code == 0 || !strings.Contains(errText, "broken.jpg") {
		t.Errorf("scp with a broken file: exit %d, want a failure naming it: %s", code, errText)
	}
	ps, _ = ts.store.Photos(ctx, g.ID)
	if len(ps) != 4 {
		t.Errorf("%d photos after scp, want 4 (four.jpg added, one.jpg a duplicate)", len(ps))
	}
	// And scp into a gallery that does not exist fails.
	args = append(sshOpts(ts.key), "-P", ts.port, filepath.Join(local, "four.jpg"), "admin@127.0.0.1:nope/")
	if _, _, code := run(t, "", "scp", args...); code == 0 {
		t.Errorf("scp into a missing gallery succeeded")
	}
	if left, _ := filepath.Glob(filepath.Join(ts.dir, "stage", "*")); len(left) != 0 {
		t.Errorf("staged uploads left behind: %v", left)
	}
}

// screenModel is a stand-in TUI: it shows its size and quits on q.
type screenModel struct {
	t    Terminal
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

func screenTUI(ctx context.Context, t Terminal) (tea.Model, []tea.ProgramOption) {
	return screenModel{t: t, w: t.Width, h: t.Height}, nil
}

func TestSSH_TUIWithOpenSSH(t *testing.T) {
	ts := startServer(t, "", SSHConfig{TUI: screenTUI})
	args := append(sshOpts(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ssh", args...)
	stdin, _ := cmd.StdinPipe()
	out := &syncBuffer{}
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
	ts := startServer(t, "", SSHConfig{TUI: screenTUI})
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
	defer client.Close()
	open := func(w, h int) (*gossh.Session, io.Writer, *syncBuffer) {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &syncBuffer{}
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
	ts := startServer(t, "", SSHConfig{TUI: screenTUI})
	args := append(sshOpts(ts.key), "-tt", "-p", ts.port, "admin@127.0.0.1")
	cmd := exec.Command("ssh", args...)
	stdin, _ := cmd.StdinPipe() // open, silent
	defer stdin.Close()
	out := &syncBuffer{}
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

func TestSSH_LegacySCP(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "", SSHConfig{}, func(store *db.Store, cfg *SSHConfig) {
		cfg.Import, cfg.Original = fakeImport(store, filepath.Join(dir, "library"))
	})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: ptr("Legacy")})
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(dir, "local")
	os.MkdirAll(local, 0o755)
	for name, data := range map[string]string{"one.jpg": "photo one", "broken.jpg": "bad", "two.jpg": "photo two"} {
		os.WriteFile(filepath.Join(local, name), []byte(data), 0o644)
	}
	scp := func(args ...string) (string, int) {
		all := append(append(sshOpts(ts.key), "-O", "-P", ts.port), args...)
		out, errText, code := run(t, "", "scp", all...)
		return out + errText, code
	}
	remote := "admin@127.0.0.1:"
	out, code := scp(filepath.Join(local, "one.jpg"), filepath.Join(local, "broken.jpg"), filepath.Join(local, "two.jpg"), remote+g.Slug+"/")
	if code == 0 || !strings.Contains(out, "broken.jpg: import broken.jpg: not a photo") {
		t.Errorf("scp -O with a broken file: exit %d, %q; want a failure naming it", code, out)
	}
	ps, _ := ts.store.Photos(ctx, g.ID)
	if len(ps) != 2 {
		t.Errorf("%d photos after scp -O, want 2", len(ps))
	}
	got := filepath.Join(dir, "got.jpg")
	if out, code := scp(remote+g.Slug+"/two.jpg", got); code != 0 {
		t.Errorf("scp -O download: exit %d: %s", code, out)
	}
	if b, _ := os.ReadFile(got); string(b) != "photo two" {
		t.Errorf("downloaded %q", b)
	}
	for _, target := range []string{remote + "../", remote + g.Slug + "/../../x/", remote + "nope/", remote} {
		if out, code := scp(filepath.Join(local, "one.jpg"), target); code == 0 {
			t.Errorf("scp -O to %s succeeded: %s", target, out)
		}
	}
	if out, code := scp("-r", local, remote+g.Slug+"/"); code == 0 {
		t.Errorf("scp -O -r of a folder succeeded: %s", out)
	}
	if out, code := scp(remote+"../../etc/passwd", got); code == 0 || !strings.Contains(out, "may not leave the top folder") {
		t.Errorf("scp -O download of an escape: exit %d: %s", code, out)
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
	ts := startServer(t, "", SSHConfig{TUI: func(ctx context.Context, t Terminal) (tea.Model, []tea.ProgramOption) {
		return panicky{screenModel{t: t, w: t.Width, h: t.Height}}, nil
	}})
	client := ts.goClient(t)
	open := func() (*gossh.Session, io.Writer, *syncBuffer) {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &syncBuffer{}
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

// The styles follow each client's terminal: bold for an xterm, plain text
// for a dumb terminal, in two sessions at once.
func TestSSH_TUIColoursPerTerminal(t *testing.T) {
	ts := startServer(t, "", SSHConfig{TUI: screenTUI})
	client := ts.goClient(t)
	screen := func(term string) string {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		out := &syncBuffer{}
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
