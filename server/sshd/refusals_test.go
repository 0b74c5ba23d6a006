package sshd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/internal/testio"
)

// TestSSH_UploadRefusalsSayWhy: an upload that cannot go in says why on
// the user's terminal (OpenSSH shows only "Failure" or "Permission
// denied" for a refused open), and a target that names a folder inside a
// gallery ("SLUG/sub/") is refused rather than stored as a photo called
// "sub".
func TestSSH_UploadRefusalsSayWhy(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "", SSHConfig{})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: new("Refusals")})
	if err != nil {
		t.Fatal(err)
	}
	one := filepath.Join(dir, "one.jpg")
	photo(t, "Landscape_0.jpg", one)
	remote := "admin@127.0.0.1:"
	sftp := func(batch string) (string, int) {
		t.Helper()
		bf := filepath.Join(dir, "batch")
		os.WriteFile(bf, []byte(batch), 0o644)
		out, errText, code := testio.Run(t, "", "sftp", append(testio.SSHOptions(ts.key), "-P", ts.port, "-b", bf, "admin@127.0.0.1")...)
		return out + errText, code
	}
	scp := func(args ...string) (string, int) {
		t.Helper()
		out, errText, code := testio.Run(t, "", "scp", append(append(testio.SSHOptions(ts.key), "-P", ts.port), args...)...)
		return out + errText, code
	}
	noGallery := `no gallery "nope"`
	for _, tc := range []struct {
		what string
		out  string
		want string
	}{
		{"sftp put into a missing gallery", first(sftp("put " + one + " nope/x.jpg\n")), noGallery},
		{"scp into a missing gallery", first(scp(one, remote+"nope/")), noGallery},
		{"sftp put into a sub-folder", first(sftp("put " + one + " " + g.Slug + "/sub/x.jpg\n")), "not folders"},
		{"sftp put to a folder path", first(sftp("put " + one + " " + g.Slug + "/sub/\n")), "not folders"},
		{"scp to a folder in a gallery", first(scp(one, remote+g.Slug+"/sub/")), "not folders"},
		{"scp -O to a folder in a gallery", first(scp("-O", one, remote+g.Slug+"/sub/")), "not folders"},
	} {
		if !strings.Contains(tc.out, tc.want) {
			t.Errorf("%s: the user is not told why (want %q):\n%s", tc.what, tc.want, tc.out)
		}
		if strings.Contains(tc.out, "file does not exist") || strings.Contains(tc.out, ": permission denied") {
			t.Errorf("%s: Go's error words reach the user:\n%s", tc.what, tc.out)
		}
	}
	ps, _ := ts.store.Photos(ctx, g.ID)
	for _, p := range ps {
		t.Errorf("a refused upload was stored as %q", p.Filename)
	}
}

func first(s string, _ int) string { return s }

// TestSSH_LegacySCPCutOff: a legacy scp copy that ends before the size it
// announced (the client killed, the connection lost) is refused as broken
// off, even when the bytes that came happen to make a picture, instead of
// being imported as if whole.
func TestSSH_LegacySCPCutOff(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: new("Cut off")})
	if err != nil {
		t.Fatal(err)
	}
	png, err := os.ReadFile(filepath.Join("..", "..", "testdata", "photos", "hopper.png"))
	if err != nil {
		t.Fatal(err)
	}
	sess, err := ts.goClient(t).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	stdin, _ := sess.StdinPipe()
	var stderr strings.Builder
	sess.Stderr = &stderr
	if err := sess.Start("scp -t " + g.Slug + "/"); err != nil {
		t.Fatal(err)
	}
	// The whole picture, announced as larger: the rest never comes.
	fmt.Fprintf(stdin, "C0644 %d cut.png\n", len(png)+4096)
	stdin.Write(png)
	stdin.Close()
	sess.Wait()
	ps, _ := ts.store.Photos(ctx, g.ID)
	for _, p := range ps {
		t.Errorf("a copy cut off was imported as %q", p.Filename)
	}
	if !strings.Contains(stderr.String(), "cut.png") || !strings.Contains(stderr.String(), "broke off") {
		t.Errorf("the user is not told the copy broke off: %q", stderr.String())
	}
}

// TestSSH_LocalOnlyCommands: a command that runs only on the server itself
// says so over SSH, whatever flags it is given, instead of "unknown
// command" or a complaint about its flags.
func TestSSH_LocalOnlyCommands(t *testing.T) {
	ts := startServer(t, "", SSHConfig{})
	for _, args := range [][]string{
		{"storage", "migrate", "--to", "file:///tmp/x"},
		{"restore", "file:///tmp/backups", "--force"},
		{"serve", "--http", ":8080"},
		{"tui"},
		{"help", "serve"},
		{"help", "storage", "migrate"},
	} {
		_, errText, code := ts.ssh(t, "", ts.key, args...)
		if code != 2 || !strings.Contains(errText, "not over SSH") || strings.Contains(errText, "flag provided") || strings.Contains(errText, "unknown command") {
			t.Errorf("ssh %s: exit %d, %q: want a usage error saying it runs only on the server", strings.Join(args, " "), code, errText)
		}
	}
	if out, _, _ := ts.ssh(t, "", ts.key, "help"); strings.Contains(out, "storage migrate") || strings.Contains(out, "restore URL") {
		t.Errorf("help over SSH lists commands that do not run there:\n%s", out)
	}
}
