package sshd

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/internal/testio"
	"pinhole/media"
)

// photo copies a photo of the repository's testdata to path and returns
// its bytes.
func photo(t *testing.T, name, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "photos", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return data
}

// TestSSH_SFTP: photos put over SFTP go through the real import (the
// store has them, with their renditions); a file that is not a photo
// fails on its own.
func TestSSH_SFTP(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "", SSHConfig{})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: new("Smith wedding")})
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(dir, "local")
	os.MkdirAll(local, 0o755)
	photo(t, "Landscape_0.jpg", filepath.Join(local, "one.jpg"))
	two := photo(t, "Portrait_0.jpg", filepath.Join(local, "two words.jpg"))
	os.WriteFile(filepath.Join(local, "broken.jpg"), []byte("bad bytes"), 0o644)
	photo(t, "Landscape_2.jpg", filepath.Join(local, "three.jpg"))

	sftp := func(batch string) (string, int) {
		t.Helper()
		bf := filepath.Join(dir, "batch")
		os.WriteFile(bf, []byte(batch), 0o644)
		args := append(testio.SSHOptions(ts.key), "-P", ts.port, "-b", bf, "admin@127.0.0.1")
		out, errText, code := testio.Run(t, "", "sftp", args...)
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
	for _, p := range ps {
		if p.Width == 0 || p.Height == 0 {
			t.Errorf("%s imported without its size: %+v", p.Filename, p)
		}
		thumb, _ := media.RenditionNamed(media.Thumbnail)
		if _, err := ts.cfg.Library.Store().Stat(context.Background(), media.RenditionKey(thumb, p.SHA256)); err != nil {
			t.Errorf("%s imported without its thumbnail: %v", p.Filename, err)
		}
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
	if data, _ := os.ReadFile(got); !bytes.Equal(data, two) {
		t.Errorf("downloaded %d bytes, not the %d uploaded", len(data), len(two))
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
	photo(t, "Landscape_4.jpg", filepath.Join(local, "four.jpg"))
	args := append(testio.SSHOptions(ts.key), "-P", ts.port, filepath.Join(local, "four.jpg"), filepath.Join(local, "broken.jpg"),
		filepath.Join(local, "one.jpg"), "admin@127.0.0.1:"+g.Slug+"/")
	_, errText, code := testio.Run(t, "", "scp", args...)
	if code == 0 || !strings.Contains(errText, "broken.jpg") {
		t.Errorf("scp with a broken file: exit %d, want a failure naming it: %s", code, errText)
	}
	ps, _ = ts.store.Photos(ctx, g.ID)
	if len(ps) != 4 {
		t.Errorf("%d photos after scp, want 4 (four.jpg added, one.jpg a duplicate)", len(ps))
	}
	// And scp into a gallery that does not exist fails.
	args = append(testio.SSHOptions(ts.key), "-P", ts.port, filepath.Join(local, "four.jpg"), "admin@127.0.0.1:nope/")
	if _, _, code := testio.Run(t, "", "scp", args...); code == 0 {
		t.Errorf("scp into a missing gallery succeeded")
	}
	if left, _ := filepath.Glob(filepath.Join(ts.dir, "stage", "*")); len(left) != 0 {
		t.Errorf("staged uploads left behind: %v", left)
	}
}

func TestSSH_LegacySCP(t *testing.T) {
	dir := t.TempDir()
	ts := startServer(t, "", SSHConfig{})
	ctx := context.Background()
	g, err := ts.store.CreateGallery(ctx, db.GalleryInput{Title: new("Legacy")})
	if err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(dir, "local")
	os.MkdirAll(local, 0o755)
	photo(t, "Landscape_0.jpg", filepath.Join(local, "one.jpg"))
	os.WriteFile(filepath.Join(local, "broken.jpg"), []byte("bad"), 0o644)
	two := photo(t, "Portrait_0.jpg", filepath.Join(local, "two.jpg"))
	scp := func(args ...string) (string, int) {
		all := append(append(testio.SSHOptions(ts.key), "-O", "-P", ts.port), args...)
		out, errText, code := testio.Run(t, "", "scp", all...)
		return out + errText, code
	}
	remote := "admin@127.0.0.1:"
	out, code := scp(filepath.Join(local, "one.jpg"), filepath.Join(local, "broken.jpg"), filepath.Join(local, "two.jpg"), remote+g.Slug+"/")
	if code == 0 || !strings.Contains(out, "pinhole: broken.jpg: unsupported format") || strings.Contains(out, "import broken.jpg") {
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
	if b, _ := os.ReadFile(got); !bytes.Equal(b, two) {
		t.Errorf("downloaded %d bytes, not the %d uploaded", len(b), len(two))
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
