package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"pinhole/internal/testio"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds pinhole once for tests that run it as a child process.
func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "pinhole-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "pinhole")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// manyPhotos writes n distinct photos (see testio.DistinctPhotos).
func manyPhotos(t *testing.T, n int) string {
	t.Helper()
	return testio.DistinctPhotos(t, "../../testdata/photos/Landscape_0.jpg", n)
}

func TestCLI_Import(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Import")
	slug := g["slug"].(string)
	src := t.TempDir()
	photo, _ := os.ReadFile("../../testdata/photos/DSCN0010.jpg")
	os.WriteFile(filepath.Join(src, "a.jpg"), photo, 0o644)
	os.WriteFile(filepath.Join(src, "b.jpg"), photo[:1000], 0o644)

	r := c.run("", "import", slug, src, "--json")
	if r.code != 1 {
		t.Errorf("import with a broken file: exit %d, want 1 (%s)", r.code, r.stderr)
	}
	var sum struct {
		Imported int `json:"imported"`
		Existing int `json:"existing"`
		Failed   []struct {
			File  string `json:"file"`
			Error string `json:"error"`
		} `json:"failed"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &sum); err != nil {
		t.Fatalf("%v: %q", err, r.stdout)
	}
	if sum.Imported != 1 || sum.Existing != 0 || len(sum.Failed) != 1 || filepath.Base(sum.Failed[0].File) != "b.jpg" || sum.Failed[0].Error == "" {
		t.Errorf("summary %+v", sum)
	}
	r = c.run("", "import", slug, filepath.Join(src, "a.jpg"))
	if r.code != 0 || !strings.Contains(r.stdout, "existing  "+filepath.Join(src, "a.jpg")+"\nImported 0, already there 1, failed 0.\n") {
		t.Errorf("re-import: exit %d, stdout %q", r.code, r.stdout)
	}

	var photos []map[string]any
	c.ok(&photos, "photo", "list", slug)
	if len(photos) != 1 {
		t.Fatalf("photo list: %v", photos)
	}
	for _, k := range []string{"id", "filename", "width", "height", "taken_at", "sha256", "bytes", "original", "thumbnail", "preview"} {
		if _, ok := photos[0][k]; !ok {
			t.Errorf("photo JSON lacks %q", k)
		}
	}
	for _, k := range []string{"original", "thumbnail", "preview"} {
		p := photos[0][k].(string)
		if !filepath.IsAbs(p) {
			t.Errorf("%s path %q is not absolute", k, p)
		}
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	if photos[0]["filename"] != "a.jpg" || photos[0]["bytes"].(float64) != float64(len(photo)) {
		t.Errorf("photo %v", photos[0])
	}

	if r := c.run("", "import", "nope", src); r.code != 1 {
		t.Errorf("import into an unknown gallery: exit %d", r.code)
	}
	if r := c.run("", "import", slug); r.code != 2 {
		t.Errorf("import without a path: exit %d", r.code)
	}
	// A mistyped folder is named as typed, in plain words.
	missing := filepath.Join(src, "smith-weding")
	if r := c.run("", "import", slug, missing); r.code != 1 || r.stderr != "pinhole import: "+missing+": no such file or directory\n" {
		t.Errorf("import of a missing folder: exit %d, stderr %q", r.code, r.stderr)
	}

	// doctor: healthy, then a rendition goes missing, then repaired.
	if r := c.run("", "doctor"); r.code != 0 {
		t.Errorf("doctor on a healthy library: exit %d %s", r.code, r.stdout)
	}
	os.Remove(photos[0]["thumbnail"].(string))
	if r := c.run("", "doctor"); r.code != 1 {
		t.Errorf("doctor with a missing thumbnail: exit %d", r.code)
	}
	if r := c.run("", "doctor", "--repair"); r.code != 0 {
		t.Errorf("doctor --repair: exit %d %s", r.code, r.stdout)
	}
	if _, err := os.Stat(photos[0]["thumbnail"].(string)); err != nil {
		t.Errorf("thumbnail not repaired: %v", err)
	}
}

// Killing the import process at any moment leaves a consistent gallery,
// and the same import run again gives what a clean import gives.
func TestCLI_ImportKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills child processes")
	}
	bin := binary(t)
	src := manyPhotos(t, 24)
	run := func(data string, args ...string) []byte {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--data", data}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pinhole %v: %v", args, err)
		}
		return out
	}
	photoSet := func(data, slug string) []string {
		var ps []map[string]any
		if err := json.Unmarshal(run(data, "photo", "list", slug, "--json"), &ps); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			out = append(out, p["sha256"].(string)+" "+p["filename"].(string))
		}
		slices.Sort(out)
		return out
	}
	create := func(data string) string {
		var g map[string]any
		json.Unmarshal(run(data, "gallery", "create", "--title", "Killed", "--json"), &g)
		return g["slug"].(string)
	}
	cleanData := t.TempDir()
	cleanSlug := create(cleanData)
	run(cleanData, "import", cleanSlug, src, "--json")
	want := photoSet(cleanData, cleanSlug)
	if len(want) != 24 {
		t.Fatalf("clean import holds %d photos", len(want))
	}

	for _, after := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond, 800 * time.Millisecond, 1500 * time.Millisecond} {
		data := t.TempDir()
		slug := create(data)
		cmd := exec.Command(bin, "--data", data, "import", slug, src)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		// What was recorded has its files.
		doctor := exec.Command(bin, "--data", data, "doctor")
		if out, err := doctor.CombinedOutput(); err != nil {
			// Strays from the killed run are expected; missing files are not.
			if strings.Contains(string(out), "missing") {
				t.Errorf("killed after %v: %s", after, out)
			}
		}
		run(data, "import", slug, src, "--json")
		if got := photoSet(data, slug); !slices.Equal(got, want) {
			t.Errorf("killed after %v, then resumed: %d photos, want %d", after, len(got), len(want))
		}
	}
}
