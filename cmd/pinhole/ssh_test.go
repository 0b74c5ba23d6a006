package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"

	"pinhole/internal/testio"
)

// These tests run the pinhole binary's serve command as a child process
// on 127.0.0.1 and drive it with OpenSSH's ssh, scp and sftp.

func waitOutput(t *testing.T, b *testio.Buffer, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited for %s in:\n%s", re, b.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// served is a running "pinhole serve".
type served struct {
	cmd     *exec.Cmd
	data    string
	sshPort string
	out     *testio.Buffer // stdout and the log
	stopped bool
}

func serve(t *testing.T, data string, args ...string) *served {
	t.Helper()
	all := append([]string{"--data", data, "serve", "--http", "127.0.0.1:0", "--ssh", "127.0.0.1:0"}, args...)
	cmd := exec.Command(binary(t), all...)
	out := &testio.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &served{cmd: cmd, data: data, out: out}
	t.Cleanup(func() { s.stop(t) })
	s.sshPort = waitOutput(t, out, regexp.MustCompile(`ssh -p (\d+) HOST`))[1]
	return s
}

// stop ends the server the way a service manager does, and expects a
// clean exit.
func (s *served) stop(t *testing.T) {
	t.Helper()
	if s.stopped {
		return
	}
	s.stopped = true
	s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- s.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("pinhole serve after SIGTERM: %v\n%s", err, s.out.String())
		}
	case <-time.After(40 * time.Second):
		s.cmd.Process.Kill()
		t.Errorf("pinhole serve did not stop on SIGTERM:\n%s", s.out.String())
	}
	if t.Failed() {
		t.Logf("pinhole serve output:\n%s", s.out.String())
	}
}

// shareLink is the link gallery share prints over SSH for slug.
func (s *served) shareLink(t *testing.T, key, slug string) string {
	t.Helper()
	r := s.ssh(t, key, "", "gallery", "share", slug)
	link := regexp.MustCompile(`\S+/g/` + regexp.QuoteMeta(slug)).FindString(r.stdout)
	if r.code != 0 || link == "" {
		t.Fatalf("gallery share over SSH: exit %d, no link:\n%s%s", r.code, r.stdout, r.stderr)
	}
	return link
}

// addAdmin makes an SSH key in dir and adds it as the admin key "laptop";
// it returns the private key's file.
func (c *cliRunner) addAdmin(dir string) (key string) {
	c.t.Helper()
	key, pub := keygen(c.t, dir, "admin")
	if r := c.run("", "admin", "add", "laptop", pub); r.code != 0 {
		c.t.Fatalf("admin add: exit %d: %s", r.code, r.stderr)
	}
	return key
}

func keygen(t *testing.T, dir, name string) (priv, pub string) {
	t.Helper()
	priv = testio.SSHKey(t, dir, name)
	return priv, priv + ".pub"
}

func runProg(t *testing.T, stdin, name string, args ...string) result {
	t.Helper()
	out, errs, code := testio.Run(t, stdin, name, args...)
	return result{code: code, stdout: out, stderr: errs}
}

func (s *served) ssh(t *testing.T, key, stdin string, args ...string) result {
	t.Helper()
	// After --, every argument is the remote command's, even --help.
	return runProg(t, stdin, "ssh", append(append(testio.SSHOptions(key), "-p", s.sshPort, "admin@127.0.0.1", "--"), args...)...)
}

// sshJSON runs a command over SSH that must succeed and decodes its output.
func (s *served) sshJSON(t *testing.T, key string, v any, args ...string) {
	t.Helper()
	r := s.ssh(t, key, "", args...)
	if r.code != 0 {
		t.Fatalf("ssh %s: exit %d: %s", strings.Join(args, " "), r.code, r.stderr)
	}
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("ssh %s: %v in %q", strings.Join(args, " "), err, r.stdout)
	}
}

// photoFiles copies the test photos into a folder: four that import and
// one that cannot.
func photoFiles(t *testing.T) (dir string, good, bad []string) {
	t.Helper()
	dir = t.TempDir()
	good = []string{"Olympus_C8080WZ.jpg", "Sony_HDR-HC3.jpg", "Ricoh_Caplio_RR330.jpg", "hopper_orientation_6.jpg"}
	bad = []string{"github_15.heic"}
	// Where each is kept under the repository's testdata/photos.
	from := map[string]string{
		"Olympus_C8080WZ.jpg":      "ianare_exif-samples/jpg",
		"Sony_HDR-HC3.jpg":         "ianare_exif-samples/jpg",
		"Ricoh_Caplio_RR330.jpg":   "ianare_exif-samples/jpg",
		"hopper_orientation_6.jpg": "python-pillow_Pillow/Tests/images",
		"github_15.heic":           "strukturag_libheif/fuzzing/data/corpus",
	}
	for _, n := range append(append([]string{}, good...), bad...) {
		b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "photos", from[n], n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, good, bad
}

type photoListing []struct {
	Filename  string `json:"filename"`
	Original  string `json:"original"`
	Preview   string `json:"preview"`
	Thumbnail string `json:"thumbnail"`
}

// checkPhotos says whether the gallery holds exactly these photos, each
// with its original and renditions on disk.
func (s *served) checkPhotos(t *testing.T, key, slug string, want []string) {
	t.Helper()
	var ps photoListing
	s.sshJSON(t, key, &ps, "photo", "list", slug, "--json")
	var got []string
	for _, p := range ps {
		got = append(got, p.Filename)
		for _, f := range []string{p.Original, p.Preview, p.Thumbnail} {
			if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
				t.Errorf("%s: file %s missing or empty (%v)", p.Filename, f, err)
			}
		}
	}
	if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(want)) {
		t.Errorf("photos in %s: got %v, want %v", slug, got, want)
	}
}

func sorted(s []string) []string {
	out := append([]string{}, s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestServe_SSH(t *testing.T) {
	testio.NeedPrograms(t, "ssh", "scp", "sftp", "ssh-keygen")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	key, pub := keygen(t, dir, "admin")

	// Without admin keys the log says how to add one.
	s := serve(t, data)
	waitOutput(t, s.out, regexp.MustCompile(`no admin keys yet.*pinhole --data `+regexp.QuoteMeta(data)+` admin add NAME`))
	if r := s.ssh(t, key, "", "gallery", "list"); r.code != 255 {
		t.Fatalf("before any admin key: exit %d, want 255", r.code)
	}
	s.stop(t)

	c := &cliRunner{t: t, data: data}
	if r := c.run("", "admin", "add", "laptop", pub); r.code != 0 {
		t.Fatalf("admin add: exit %d: %s", r.code, r.stderr)
	}
	s = serve(t, data)

	t.Run("commands", func(t *testing.T) {
		var g galleryJSON
		s.sshJSON(t, key, &g, "gallery", "create", "--title", "'Smith wedding'", "--json")
		if g.Title != "Smith wedding" || !strings.HasPrefix(g.Slug, "smith-wedding-") {
			t.Errorf("created %+v", g)
		}
		var gs []galleryJSON
		s.sshJSON(t, key, &gs, "gallery", "list", "--json")
		if len(gs) != 1 || gs[0].Slug != g.Slug {
			t.Errorf("gallery list: %+v, want the one created", gs)
		}
		for _, tt := range []struct {
			args []string
			code int
			says string
		}{
			{[]string{"gallery", "show", "no-such-gallery"}, 1, "not found"},
			{[]string{"gallery", "create"}, 2, "--title is required"},
			{[]string{"serve"}, 2, "serve runs only on the server itself, not over SSH"},
			{[]string{"tui"}, 2, "over SSH the terminal UI opens when you log in without a command"},
			{[]string{"admin", "add", "x", "/etc/ssh/ssh_host_ed25519_key.pub"}, 2, "comes on stdin"},
			{[]string{"--help"}, 0, ""},
		} {
			r := s.ssh(t, key, "", tt.args...)
			if r.code != tt.code || !strings.Contains(r.stderr, tt.says) {
				t.Errorf("ssh %s: exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), r.code, r.stderr, tt.code, tt.says)
			}
		}
		// stdin reaches the command.
		_, pub2 := keygen(t, dir, "second")
		b, _ := os.ReadFile(pub2)
		if r := s.ssh(t, key, string(b), "admin", "add", "second", "-"); r.code != 0 {
			t.Errorf("admin add over SSH: exit %d: %s", r.code, r.stderr)
		}
		var ks []adminKeyJSON
		s.sshJSON(t, key, &ks, "admin", "list", "--json")
		if len(ks) != 2 || ks[0].Name != "laptop" || ks[1].Name != "second" || ks[0].LastUsed == "" {
			t.Errorf("admin list: %+v", ks)
		}
	})

	t.Run("scp upload", func(t *testing.T) {
		var g galleryJSON
		s.sshJSON(t, key, &g, "gallery", "create", "--title", "scp", "--json")
		src, good, bad := photoFiles(t)
		args := testio.SSHOptions(key)
		args = append(args, "-P", s.sshPort)
		for _, n := range append(append([]string{}, good...), bad...) {
			args = append(args, filepath.Join(src, n))
		}
		args = append(args, "admin@127.0.0.1:"+g.Slug+"/")
		r := runProg(t, "", "scp", args...)
		if r.code == 0 || !strings.Contains(r.stderr, bad[0]) {
			t.Errorf("scp with a file that cannot be imported: exit %d, %q; want a failure naming it", r.code, r.stderr)
		}
		s.checkPhotos(t, key, g.Slug, good)
		// Again: the same photos are not added twice.
		runProg(t, "", "scp", args...)
		s.checkPhotos(t, key, g.Slug, good)

		// The legacy protocol too.
		var legacy galleryJSON
		s.sshJSON(t, key, &legacy, "gallery", "create", "--title", "legacy", "--json")
		args[len(args)-1] = "admin@127.0.0.1:" + legacy.Slug + "/"
		r = runProg(t, "", "scp", append([]string{"-O"}, args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, bad[0]) {
			t.Errorf("scp -O with a file that cannot be imported: exit %d, %q; want 1 and a message naming it", r.code, r.stderr)
		}
		s.checkPhotos(t, key, legacy.Slug, good)
	})

	t.Run("sftp upload and download", func(t *testing.T) {
		var g galleryJSON
		s.sshJSON(t, key, &g, "gallery", "create", "--title", "sftp", "--json")
		src, good, _ := photoFiles(t)
		got := filepath.Join(t.TempDir(), "got.jpg")
		batch := filepath.Join(t.TempDir(), "batch")
		os.WriteFile(batch, []byte(fmt.Sprintf("ls -1\ncd %s\nlcd %s\nput *.jpg\n-put github_15.heic\nls -1\nget %s %s\n",
			g.Slug, src, good[0], got)), 0o644)
		r := runProg(t, "", "sftp", append(testio.SSHOptions(key), "-P", s.sshPort, "-b", batch, "admin@127.0.0.1")...)
		if r.code != 0 {
			t.Fatalf("sftp: exit %d:\n%s%s", r.code, r.stdout, r.stderr)
		}
		for _, n := range append(good, g.Slug) {
			if !strings.Contains(r.stdout, n+"\n") {
				t.Errorf("sftp ls does not list %s:\n%s", n, r.stdout)
			}
		}
		s.checkPhotos(t, key, g.Slug, good)
		want, _ := os.ReadFile(filepath.Join(src, good[0]))
		if b, err := os.ReadFile(got); err != nil || !bytes.Equal(b, want) {
			t.Errorf("get: the original differs (%v)", err)
		}
		// An escape is refused.
		os.WriteFile(batch, []byte("get ../../etc/passwd "+got+".passwd\n"), 0o644)
		r = runProg(t, "", "sftp", append(testio.SSHOptions(key), "-P", s.sshPort, "-b", batch, "admin@127.0.0.1")...)
		if r.code == 0 {
			t.Errorf("sftp get ../../etc/passwd succeeded")
		}
		if _, err := os.Stat(got + ".passwd"); err == nil {
			t.Errorf("an escape downloaded a file")
		}
		waitOutput(t, s.out, regexp.MustCompile(regexp.QuoteMeta("path=/../../etc/passwd")))
	})

	t.Run("unknown key", func(t *testing.T) {
		stranger, spub := keygen(t, t.TempDir(), "stranger")
		r := s.ssh(t, stranger, "", "gallery", "list")
		if r.code != 255 || !strings.Contains(r.stderr, "Permission denied (publickey)") {
			t.Errorf("unknown key: exit %d, %q", r.code, r.stderr)
		}
		fp := runProg(t, "", "ssh-keygen", "-l", "-E", "sha256", "-f", spub).stdout
		fp = strings.Fields(fp)[1]
		waitOutput(t, s.out, regexp.MustCompile(regexp.QuoteMeta("fingerprint="+fp))) // the log is written in batches
	})

	t.Run("no password", func(t *testing.T) {
		args := append(testio.SSHOptions(key), "-o", "PreferredAuthentications=password,keyboard-interactive", "-p", s.sshPort, "admin@127.0.0.1", "gallery", "list")
		r := runProg(t, "", "ssh", args...)
		if r.code != 255 || !strings.Contains(r.stderr, "Permission denied (publickey)") {
			t.Errorf("password login: exit %d, %q; want refused, publickey the only method", r.code, r.stderr)
		}
	})

	t.Run("TUI", func(t *testing.T) {
		// ssh runs on a terminal of its own, as it does for a photographer.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "ssh", append(testio.SSHOptions(key), "-t", "-p", s.sshPort, "admin@127.0.0.1")...)
		cmd.Env = append(os.Environ(), "TERM=xterm-256color")
		term, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 30, Cols: 100})
		if err != nil {
			t.Fatal(err)
		}
		defer term.Close()
		out := &testio.Buffer{}
		go io.Copy(out, term)
		waitOutput(t, out, regexp.MustCompile(`\d galleries[\s\S]*Smith wedding`))
		if !strings.Contains(out.String(), "\x1b[38;5;") {
			t.Errorf("no 256 colours for an xterm-256color terminal")
		}
		// A resize reaches the TUI: it redraws.
		before := len(out.String())
		pty.Setsize(term, &pty.Winsize{Rows: 20, Cols: 60})
		cmd.Process.Signal(syscall.SIGWINCH)
		deadline := time.Now().Add(10 * time.Second)
		for len(out.String()) == before && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		if len(out.String()) == before {
			t.Errorf("no redraw after a resize")
		}
		io.WriteString(term, "q")
		if err := cmd.Wait(); err != nil {
			t.Errorf("ssh -t after q: %v\n%q", err, out.String())
		}
	})

	t.Run("no PTY, no command", func(t *testing.T) {
		r := runProg(t, "", "ssh", append(testio.SSHOptions(key), "-T", "-p", s.sshPort, "admin@127.0.0.1")...)
		if r.code != 2 || !strings.Contains(r.stderr, "gallery list --json") {
			t.Errorf("exit %d, %q; want usage and 2", r.code, r.stderr)
		}
	})

	t.Run("host key kept across restarts", func(t *testing.T) {
		known := filepath.Join(t.TempDir(), "known_hosts")
		connect := func(port, strict string) result {
			return runProg(t, "", "ssh", "-F", "/dev/null", "-o", "StrictHostKeyChecking="+strict, "-o", "UserKnownHostsFile="+known,
				"-o", "HostKeyAlias=pinhole-test", "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-i", key, "-p", port,
				"admin@127.0.0.1", "gallery", "list")
		}
		if r := connect(s.sshPort, "accept-new"); r.code != 0 {
			t.Fatalf("first connection: exit %d: %s", r.code, r.stderr)
		}
		s.stop(t)
		if !strings.Contains(s.out.String(), "stopped") {
			t.Errorf("no clean stop in the log")
		}
		fi, err := os.Stat(filepath.Join(data, "ssh_host_ed25519_key"))
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Errorf("host key file: %v, mode %v; want 0600", err, fi.Mode().Perm())
		}
		s = serve(t, data)
		if r := connect(s.sshPort, "yes"); r.code != 0 {
			t.Errorf("after a restart, against the recorded host key: exit %d: %s", r.code, r.stderr)
		}
	})
}

func TestServe_SSHOff(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	cmd := exec.Command(binary(t), "--data", data, "serve", "--http", "127.0.0.1:0", "--ssh", "")
	out := &testio.Buffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, out, regexp.MustCompile(`website on http://`))
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Errorf("serve: %v\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "ssh") {
		t.Errorf("--ssh \"\" still serves SSH:\n%s", out.String())
	}
	if _, err := os.Stat(filepath.Join(data, "ssh_host_ed25519_key")); err == nil {
		t.Errorf("--ssh \"\" made a host key")
	}
}
