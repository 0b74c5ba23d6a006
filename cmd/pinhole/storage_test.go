package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/studio"
)

// TestCLI_StorageMigrateKilled: "storage migrate" killed half way leaves
// the database on the old storage; run again, it copies only what was not
// verified yet, and then switches, with every file in both, byte for byte.
func TestCLI_StorageMigrateKilled(t *testing.T) {
	bin := binary(t)
	data := t.TempDir()
	run := func(args ...string) []byte {
		t.Helper()
		out, err := exec.Command(bin, append([]string{"--data", data}, args...)...).Output()
		if err != nil {
			t.Fatalf("pinhole %v: %v", args, err)
		}
		return out
	}
	var g map[string]any
	json.Unmarshal(run("gallery", "create", "--title", "Moving", "--json"), &g)
	run("import", g["slug"].(string), manyPhotos(t, 40), "--json")
	to := filepath.Join(t.TempDir(), "moved")
	url := "file://" + filepath.ToSlash(to)
	journal := filepath.Join(data, studio.MigrateJournal)

	cmd := exec.Command(bin, "--data", data, "storage", "migrate", "--to", url)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	noted := func() []string {
		b, _ := os.ReadFile(journal)
		var keys []string
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if _, key, ok := strings.Cut(sc.Text(), " "); ok && !strings.HasPrefix(sc.Text(), "pinhole ") {
				keys = append(keys, key)
			}
		}
		return keys
	}
	deadline := time.Now().Add(time.Minute)
	for len(noted()) < 30 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	keys := noted()
	if len(keys) < 30 || len(keys) >= 160 {
		t.Fatalf("killed with %d of 160 files noted: not half way", len(keys))
	}
	s, err := db.Open(context.Background(), filepath.Join(data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := s.StorageURL(context.Background()); u != "" {
		t.Errorf("killed half way, the database names %q", u)
	}
	s.Close()
	mods := map[string]time.Time{}
	for _, k := range keys {
		fi, err := os.Stat(filepath.Join(to, filepath.FromSlash(k)))
		if err != nil {
			t.Fatalf("noted but not there: %v", err)
		}
		mods[k] = fi.ModTime()
	}

	var rep studio.MigrateReport
	if err := json.Unmarshal(run("storage", "migrate", "--to", url, "--json"), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Switched || rep.Files != 160 || rep.Verified != len(keys) || rep.Copied != 160-len(keys) {
		t.Errorf("resumed: %+v, %d noted before the kill", rep, len(keys))
	}
	for k, m := range mods {
		if fi, err := os.Stat(filepath.Join(to, filepath.FromSlash(k))); err != nil || !fi.ModTime().Equal(m) {
			t.Errorf("%s copied again", k)
		}
	}
	// Every file in both, byte for byte; nothing else copied.
	old := filepath.Join(data, "photos")
	n := 0
	filepath.WalkDir(to, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasPrefix(d.Name(), ".tmp-") {
			return nil // a copy cut off by the kill: a stray, for doctor --repair
		}
		rel, _ := filepath.Rel(to, p)
		a, _ := os.ReadFile(p)
		b, err := os.ReadFile(filepath.Join(old, rel))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the old copy (%v)", rel, err)
		}
		n++
		return nil
	})
	if n != 160 {
		t.Errorf("%d files in the new storage, want 160", n)
	}
	s, err = db.Open(context.Background(), filepath.Join(data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if u, _ := s.StorageURL(context.Background()); u != url {
		t.Errorf("after the migration the database names %q, want %q", u, url)
	}
	if _, err := os.Stat(journal); err == nil {
		t.Error("the journal is left")
	}
	// Once more: nothing to do, said plainly.
	out, err := exec.Command(bin, "--data", data, "storage", "migrate", "--to", url).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already") {
		t.Errorf("a migration to the storage in use: %v\n%s", err, out)
	}
}
