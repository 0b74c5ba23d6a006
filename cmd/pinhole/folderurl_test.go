package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"pinhole/db"
)

// TestFolderURLs_Relative: --storage file://DIR and --replicate file://DIR
// (and restore's URL) take a folder relative to the working directory, as
// a photographer types it, and resolve it there once: the database
// records the photos' absolute folder, so that a run from elsewhere
// without the flag finds them; the replica lands beside where serve was
// started, and restore reads it from there.
func TestFolderURLs_Relative(t *testing.T) {
	work, elsewhere := t.TempDir(), t.TempDir()
	data := filepath.Join(t.TempDir(), "data")
	env := append(os.Environ(), "PINHOLE_DATA=", "PINHOLE_STORAGE=", "PINHOLE_REPLICATE=")
	pinhole := func(dir string, args ...string) string {
		t.Helper()
		cmd := exec.Command(binary(t), args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("pinhole %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
		}
		return string(out)
	}

	out := pinhole(work, "--data", data, "--storage", "file://photos", "gallery", "create", "--title", "Kept")
	slug := regexp.MustCompile(`/g/(\S+)`).FindStringSubmatch(out)
	if slug == nil {
		t.Fatalf("no link in:\n%s", out)
	}
	pinhole(work, "--data", data, "--storage", "file://photos", "import", slug[1], manyPhotos(t, 2))
	s, err := db.Open(context.Background(), filepath.Join(data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.StorageURL(context.Background())
	s.Close()
	if want := "file://" + filepath.ToSlash(filepath.Join(work, "photos")); err != nil || got != want {
		t.Errorf("--storage file://photos recorded as %q (%v), want %q", got, err, want)
	}
	if n := countFiles(t, filepath.Join(work, "photos")); n == 0 {
		t.Errorf("no photo files in %s", filepath.Join(work, "photos"))
	}
	if out := pinhole(elsewhere, "--data", data, "doctor"); strings.Contains(out, "missing") {
		t.Errorf("from another folder without --storage, doctor says:\n%s", out)
	}

	// serve --replicate file://backups, started in work, replicates into
	// work/backups until it stops.
	cmd := exec.Command(binary(t), "--data", data, "serve", "--http", "127.0.0.1:0", "--ssh", "", "--replicate", "file://backups")
	cmd.Dir, cmd.Env = work, env
	logs, exited, _ := startProgram(t, cmd)
	for deadline := time.Now().Add(30 * time.Second); countFiles(t, filepath.Join(work, "backups")) == 0; {
		select {
		case <-exited:
			t.Fatalf("serve --replicate file://backups ended:\n%s", logs)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing replicated into %s in 30 s:\n%s", filepath.Join(work, "backups"), logs)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-exited

	restored := filepath.Join(t.TempDir(), "restored")
	pinhole(work, "--data", restored, "restore", "file://backups")
	if out := pinhole(elsewhere, "--data", restored, "gallery", "list"); !strings.Contains(out, "Kept") {
		t.Errorf("restored from file://backups, the galleries are:\n%s", out)
	}
}

// countFiles counts the files below dir (0 when there is no dir).
func countFiles(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return nil
	})
	return n
}
