package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/db/dbtest"
)

// controlSeqs are bytes that make a terminal do something when printed:
// ESC (colours, titles, OSC 52 clipboard writes), BEL, CR, the C1 CSI
// (U+009B) and a lone 0xFF (tabwriter's escape character).
var controlSeqs = []string{"\x1b", "\x07", "\r", "\u009b", "\xff"}

func hasControl(s string) string {
	for _, c := range controlSeqs {
		if strings.Contains(s, c) {
			return c
		}
	}
	return ""
}

// TestBadInput_NoTerminalEscapes: file names, visitor names and titles
// are data, not terminal commands: whatever bytes they hold, the human
// output (tables, import lines, errors, favourites, activity) prints no
// control character the terminal would act on, while --json keeps them.
func TestBadInput_NoTerminalEscapes(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Evil\x1b]0;pwned\x07 title", "--access", "public")
	slug := g["slug"].(string)
	photo, err := os.ReadFile("../../testdata/photos/DSCN0010.jpg")
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	names := []string{"red\x1b[31m.jpg", "title\x1b]0;pwned\x07.jpg", "clip\x1b]52;c;ZWNobyBwd25lZA==\x07.jpg", "csi\u009b2J.jpg", "ff\xff.jpg", "cr\rover.jpg"}
	for i, n := range names {
		if err := os.WriteFile(filepath.Join(src, n), append(append([]byte{}, photo...), byte(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(src, "broken\x1b[2J.jpg"), photo[:500], 0o644)

	check := func(what string, r result) {
		t.Helper()
		if c := hasControl(r.stdout); c != "" {
			t.Errorf("%s: stdout holds %q:\n%q", what, c, r.stdout)
		}
		if c := hasControl(r.stderr); c != "" {
			t.Errorf("%s: stderr holds %q:\n%q", what, c, r.stderr)
		}
	}
	r := c.run("", "import", slug, src)
	if r.code != 1 || !strings.Contains(r.stdout, "Imported 6") {
		t.Fatalf("import: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	check("import", r)
	check("photo list", c.run("", "photo", "list", slug))
	check("gallery list", c.run("", "gallery", "list"))
	check("gallery show", c.run("", "gallery", "show", slug))
	check("import of a missing file", c.run("", "import", slug, filepath.Join(src, "gone\x1b]0;x\x07.jpg")))

	// A website visitor picks the name.
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(c.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	gal, _ := s.Gallery(ctx, slug)
	ps, _ := s.Photos(ctx, gal.ID)
	evil := "Eve\x1b]0;pwned\x07\u009b2J"
	_, l, err := s.CreatePickList(ctx, db.PickList{GalleryID: gal.ID, Name: evil})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SetPick(ctx, l.ID, ps[0].ID, true, false); err != nil {
		t.Fatal(err)
	}
	s.AddEvent(ctx, db.Event{GalleryID: gal.ID, Kind: db.EventFavourite, PhotoID: ps[0].ID, Visitor: evil, Address: "203.0.113.9"})
	cl, err := s.CreateClient(ctx, db.ClientInput{Name: new("Ann\x1b[8m"), Note: new("note\x1b]0;x\x07")})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	check("favourites", c.run("", "favourites", slug))
	check("favourites --lightroom", c.run("", "favourites", slug, "--lightroom"))
	check("activity", c.run("", "activity"))
	check("activity SLUG", c.run("", "activity", slug))
	check("client list", c.run("", "client", "list"))
	check("client show", c.run("", "client", "show", strings.TrimSpace(strings.Split(c.run("", "client", "list").stdout, "\n")[1])[:1]))
	_ = cl

	// --json keeps the exact text (escaped by JSON).
	var list []map[string]any
	c.ok(&list, "photo", "list", slug)
	found := false
	for _, p := range list {
		found = found || p["filename"] == "red\x1b[31m.jpg"
	}
	if !found {
		t.Errorf("--json lost the exact file name: %v", list)
	}
}

// mountTmpfs mounts a small tmpfs (root only); the test is skipped where
// mounting is not allowed.
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): run as root to test a full disk", err)
	}
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// TestBadInput_FullDiskAndReadOnly: on a full disk and on a read-only data
// folder every command fails with a message that says so, and once space
// is back nothing was lost.
func TestBadInput_FullDiskAndReadOnly(t *testing.T) {
	mnt := mountTmpfs(t, "4m")
	c := newCLI(t)
	c.data = filepath.Join(mnt, "data")
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Full", "--pin", "1234")
	slug := g["slug"].(string)
	photo, _ := os.ReadFile("../../testdata/photos/DSCN0010.jpg")
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "a.jpg"), photo, 0o644)
	os.WriteFile(filepath.Join(src, "b.jpg"), append(append([]byte{}, photo...), 1), 0o644)
	c.ok(nil, "import", slug, filepath.Join(src, "a.jpg"))

	intact := func(when string) {
		t.Helper()
		var ps []map[string]any
		c.ok(&ps, "photo", "list", slug)
		if len(ps) != 1 {
			t.Fatalf("%s: %d photos, want the 1 imported", when, len(ps))
		}
		if r := c.run("", "doctor"); r.code != 0 {
			t.Fatalf("%s: doctor: %d %s %s", when, r.code, r.stdout, r.stderr)
		}
	}

	// Fill the disk.
	filler, err := os.Create(filepath.Join(mnt, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := filler.Write(buf); err != nil {
			break
		}
	}
	filler.Close()
	for _, args := range [][]string{{"gallery", "list"}, {"gallery", "create", "--title", "More"}, {"import", slug, filepath.Join(src, "b.jpg")}, {"photo", "list", slug}} {
		r := c.run("", args...)
		if r.code == 0 {
			continue // a read that SQLite could serve is fine
		}
		if !strings.Contains(r.stderr, "full") {
			t.Errorf("full disk, pinhole %s: exit %d, message %q does not say the disk is full", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	os.Remove(filepath.Join(mnt, "filler"))
	intact("after a full disk")

	// A read-only data folder.
	if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
		t.Skipf("remount read-only: %v", err)
	}
	for _, args := range [][]string{{"gallery", "list"}, {"gallery", "create", "--title", "More"}, {"import", slug, filepath.Join(src, "b.jpg")}} {
		r := c.run("", args...)
		if r.code == 0 {
			continue
		}
		if !strings.Contains(r.stderr, "read-only") {
			t.Errorf("read-only folder, pinhole %s: exit %d, message %q does not say it is read-only", strings.Join(args, " "), r.code, r.stderr)
		}
	}
	if err := syscall.Mount("", mnt, "", syscall.MS_REMOUNT, ""); err != nil {
		t.Fatal(err)
	}
	intact("after a read-only folder")
}

// TestBadInput_CorruptDatabase: a pinhole.db of garbage is refused with a
// message naming it, and stays byte for byte as it was, with no WAL or
// index file left beside it.
func TestBadInput_CorruptDatabase(t *testing.T) {
	for name, content := range map[string][]byte{
		"random":         []byte(strings.Repeat("\x8f\x00garbage\xff", 1000)),
		"sqlite header":  append([]byte("SQLite format 3\x00"), make([]byte, 200)...),
		"a text file":    []byte("hello\n"),
		"a JPEG renamed": func() []byte { b, _ := os.ReadFile("../../testdata/photos/DSCN0010.jpg"); return b }(),
	} {
		t.Run(name, func(t *testing.T) {
			c := newCLI(t)
			os.MkdirAll(c.data, 0o700)
			dbPath := filepath.Join(c.data, "pinhole.db")
			if err := os.WriteFile(dbPath, content, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"gallery", "list"}, {"gallery", "create", "--title", "X"}, {"doctor", "--repair"}, {"client", "list"}} {
				r := c.run("", args...)
				if r.code != 1 {
					t.Errorf("pinhole %s: exit %d, want 1", strings.Join(args, " "), r.code)
				}
				if !strings.Contains(r.stderr, dbPath) || !strings.Contains(r.stderr, "not a database") {
					t.Errorf("pinhole %s: unclear message %q", strings.Join(args, " "), r.stderr)
				}
				if strings.Contains(r.stderr, "goroutine") || r.stdout != "" {
					t.Errorf("pinhole %s: stdout %q stderr %q", strings.Join(args, " "), r.stdout, r.stderr)
				}
			}
			got, _ := os.ReadFile(dbPath)
			if !bytes.Equal(got, content) {
				t.Error("the corrupt database was changed")
			}
			entries, _ := os.ReadDir(c.data)
			for _, e := range entries {
				if e.Name() != "pinhole.db" {
					t.Errorf("left beside it: %s", e.Name())
				}
			}
		})
	}
}

// TestBadInput_PathsAsNames: "../../etc/passwd" and friends as a slug, a
// client or a title are names, never paths: not found, or made into a
// plain slug; nothing is read or written outside the data folder.
func TestBadInput_PathsAsNames(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Real")
	slug := g["slug"].(string)
	evil := []string{"../../etc/passwd", "/etc/passwd", "..", ".", "-", "--", "-rf", "%2e%2e%2f", "a/../../b", "\x00", strings.Repeat("x", 5000)}
	for _, e := range evil {
		for _, args := range [][]string{{"gallery", "show", e}, {"gallery", "delete", e, "--yes"}, {"gallery", "set", e, "--title", "Y"},
			{"client", "show", e}, {"client", "grant", e, slug}, {"client", "grant", "1", e}, {"favourites", e}, {"photo", "list", e},
			{"gallery", "preview", e}, {"activity", e}} {
			r := c.run("", args...)
			if r.code == 0 && !(args[0] == "activity" && e == "--") { // "--" ends the flags: all activity
				t.Errorf("pinhole %q: exit 0\n%s", args, r.stdout)
			}
			if strings.Contains(r.stderr, "goroutine") || strings.Contains(r.stderr, "panic") {
				t.Errorf("pinhole %q: %s", args, r.stderr)
			}
		}
		// As a title or a client's name it is only text.
		if e == "\x00" || strings.HasPrefix(e, "-") {
			continue
		}
		var ng map[string]any
		c.ok(&ng, "gallery", "create", "--title", e)
		s, _ := ng["slug"].(string)
		for _, r := range s {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Errorf("title %q made slug %q", e, s)
				break
			}
		}
		c.ok(nil, "client", "create", "--name", e)
	}
	// A file named like a path is imported by its name only, refused when it
	// is not a photo, and the real /etc/passwd is never copied in.
	r := c.run("", "import", slug, "/etc/passwd")
	if r.code != 1 {
		t.Errorf("import /etc/passwd: exit %d", r.code)
	}
	var ps []map[string]any
	c.ok(&ps, "photo", "list", slug)
	if len(ps) != 0 {
		t.Errorf("photos after importing /etc/passwd: %v", ps)
	}
	// Still exactly one real gallery with that slug, untouched.
	var show map[string]any
	c.ok(&show, "gallery", "show", slug)
	if show["title"] != "Real" {
		t.Errorf("the real gallery changed: %v", show)
	}
}

// TestBadInput_TruncatedDatabase: a real database cut short (a copy
// interrupted, a full disk during a backup) is refused as malformed and
// left as it was; nothing is written into it.
func TestBadInput_TruncatedDatabase(t *testing.T) {
	src := newCLI(t)
	for i := range 20 {
		src.ok(nil, "gallery", "create", "--title", strings.Repeat("Gallery ", 50)+string(rune('A'+i)))
	}
	full, err := os.ReadFile(filepath.Join(src.data, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{4096, 8192, len(full) / 2} {
		c := newCLI(t)
		os.MkdirAll(c.data, 0o700)
		dbPath := filepath.Join(c.data, "pinhole.db")
		cut := full[:n]
		os.WriteFile(dbPath, cut, 0o644)
		for _, args := range [][]string{{"gallery", "list"}, {"gallery", "create", "--title", "New"}} {
			r := c.run("", args...)
			if r.code == 0 {
				t.Errorf("%d bytes: pinhole %s succeeded:\n%s", n, strings.Join(args, " "), r.stdout)
			} else if !strings.Contains(r.stderr, dbPath) {
				t.Errorf("%d bytes: pinhole %s: message %q does not name the file", n, strings.Join(args, " "), r.stderr)
			}
		}
		if got, _ := os.ReadFile(dbPath); !bytes.Equal(got, cut) {
			t.Errorf("%d bytes: the cut database was changed", n)
		}
	}
}

// TestBadInput_OddFileNames: names with spaces, %?#&+, a leading dash or
// bytes that are not UTF-8 import like any other; a leading-dash name
// given without "--" gets a message saying how to pass it.
func TestBadInput_OddFileNames(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Odd")
	slug := g["slug"].(string)
	photo, _ := os.ReadFile("../../testdata/photos/DSCN0010.jpg")
	src := t.TempDir()
	names := []string{"a b.jpg", "%?#&+.jpg", "-rf.jpg", "caf\xe9.jpg", "ü ñ 漢字.jpg", "--help.jpg", " lead.jpg", "trail .jpg"}
	for i, n := range names {
		if err := os.WriteFile(filepath.Join(src, n), append(append([]byte{}, photo...), byte(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r := c.run("", "import", slug, filepath.Join(src, "-rf.jpg"))
	if r.code != 0 {
		t.Fatalf("import by full path: %d %s", r.code, r.stderr)
	}
	r = c.run("", "import", slug, "-rf.jpg")
	if r.code != 2 || !strings.Contains(r.stderr, "--") || !strings.Contains(r.stderr, "-rf.jpg") {
		t.Errorf("import -rf.jpg: exit %d, stderr %q: want usage error that says to put it after --", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, `after "--"`) {
		t.Errorf("import -rf.jpg: no hint about --: %q", r.stderr)
	}
	r = c.run("", "import", slug, src)
	if r.code != 0 || !strings.Contains(r.stdout, "Imported 7, already there 1, failed 0") {
		t.Fatalf("import folder: %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	ctx := context.Background()
	s := dbtest.OpenAt(t, filepath.Join(c.data, "pinhole.db"), nil)
	gal, _ := s.Gallery(ctx, slug)
	ps, _ := s.Photos(ctx, gal.ID)
	got := map[string]bool{}
	for _, p := range ps {
		got[p.Filename] = true
	}
	for _, n := range names {
		if !got[n] {
			t.Errorf("%q not stored byte for byte (have %v)", n, got)
		}
	}
}

// TestBadInput_NamedPipe: a named pipe (or another special file) given by
// name to import or as the logo is refused at once with a message, not
// waited on forever for a writer that never comes; a folder holding one
// imports the rest.
func TestBadInput_NamedPipe(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Pipes")
	slug := g["slug"].(string)
	src := t.TempDir()
	fifo := filepath.Join(src, "photo.jpg")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	photo, _ := os.ReadFile("../../testdata/photos/DSCN0010.jpg")
	os.WriteFile(filepath.Join(src, "real.jpg"), photo, 0o644)
	within := func(args ...string) result {
		t.Helper()
		done := make(chan result, 1)
		go func() { done <- c.run("", args...) }()
		select {
		case r := <-done:
			return r
		case <-time.After(20 * time.Second):
			t.Fatalf("pinhole %s: still waiting on the named pipe after 20 s", strings.Join(args, " "))
			return result{}
		}
	}
	r := within("import", slug, fifo)
	if r.code != 1 || !strings.Contains(r.stdout, "photo.jpg: import photo.jpg: not a regular file") {
		t.Errorf("import of a named pipe: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = within("config", "set", "logo", fifo)
	if r.code != 1 || !strings.Contains(r.stderr, "not a regular file") {
		t.Errorf("a named pipe as the logo: exit %d, stderr %q", r.code, r.stderr)
	}
	r = within("import", slug, src)
	if r.code != 0 || !strings.Contains(r.stdout, "Imported 1, already there 0, failed 0") {
		t.Errorf("import of a folder holding a named pipe: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestBadInput_UnreadableFolder: a folder the import cannot read inside
// the folder being imported is one failure, named with the reason; the
// photos around it are imported all the same. (As root, which reads
// everything, the binary runs as nobody.)
func TestBadInput_UnreadableFolder(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the binary")
	}
	bin := binary(t)
	base := t.TempDir()
	photo, _ := os.ReadFile("../../testdata/photos/DSCN0010.jpg")
	src := filepath.Join(base, "src")
	for i, f := range []string{"c.jpg", "ok/a.jpg", "locked/b.jpg"} {
		p := filepath.Join(src, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, append(append([]byte{}, photo...), byte(i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(base, "data")
	os.MkdirAll(data, 0o700)
	var cred *syscall.Credential
	if os.Geteuid() == 0 {
		const nobody = 65534
		cred = &syscall.Credential{Uid: nobody, Gid: nobody}
		// nobody must reach the binary, the photos and the data folder.
		for _, d := range []string{filepath.Dir(bin), filepath.Dir(base), base} {
			os.Chmod(d, 0o755)
		}
		filepath.WalkDir(base, func(p string, _ os.DirEntry, _ error) error { return os.Chown(p, nobody, nobody) })
	}
	os.Chmod(filepath.Join(src, "locked"), 0)
	t.Cleanup(func() { os.Chmod(filepath.Join(src, "locked"), 0o755) })
	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, append([]string{"--data", data}, args...)...)
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
		out, err := cmd.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return string(out), code
	}
	out, code := run("gallery", "create", "--title", "Locked", "--json")
	if code != 0 {
		t.Fatalf("gallery create: %d %s", code, out)
	}
	var g map[string]any
	json.Unmarshal([]byte(out), &g)
	out, code = run("import", g["slug"].(string), src)
	if code != 1 || !strings.Contains(out, "Imported 2, already there 0, failed 1") {
		t.Errorf("import with an unreadable folder inside: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, filepath.Join(src, "locked")+": ") || !strings.Contains(out, "permission denied") {
		t.Errorf("the unreadable folder is not named with the reason:\n%s", out)
	}
}

// TestBadInput_MigrateSaysWhy: a storage migration that cannot copy
// says why (the first file and its error), not only that some files were
// not copied, and the photos stay where they were.
func TestBadInput_MigrateSaysWhy(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Migrate")
	slug := g["slug"].(string)
	c.ok(nil, "import", slug, "../../testdata/photos/DSCN0010.jpg")
	to := t.TempDir()
	// A file where the copy needs a folder.
	if err := os.WriteFile(filepath.Join(to, "originals"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := c.run("", "storage", "migrate", "--to", "file://"+to)
	if r.code != 1 || !strings.Contains(r.stderr, "not every photo file was copied") {
		t.Fatalf("migrate onto a blocked folder: exit %d, stderr %q", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "not a directory") || !strings.Contains(r.stderr, filepath.Join(to, "originals")) {
		t.Errorf("the message does not say why: %q", r.stderr)
	}
	var ps []map[string]any
	c.ok(&ps, "photo", "list", slug)
	if len(ps) != 1 || !strings.HasPrefix(ps[0]["original"].(string), c.data) {
		t.Errorf("the photos moved: %v", ps)
	}
}

// TestBadInput_LinkedFolders: a link to a folder named on the command line
// is imported like the folder (it imported nothing and said all was
// well); inside a folder, a link to a folder (a loop, say) is not followed
// and a link to nothing is not a photo, and each is named with the reason
// while the rest goes in.
func TestBadInput_LinkedFolders(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Links")
	slug := g["slug"].(string)
	photo, _ := os.ReadFile("../../testdata/photos/DSCN0010.jpg")
	base := t.TempDir()
	for i, f := range []string{"real/a.jpg", "outer/b.jpg"} {
		p := filepath.Join(base, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, append(append([]byte{}, photo...), byte(i)), 0o644)
	}
	for link, target := range map[string]string{"alias": "real", "outer/linked": "../real", "outer/loop": ".", "outer/gone.jpg": "nowhere.jpg"} {
		if err := os.Symlink(target, filepath.Join(base, link)); err != nil {
			t.Fatal(err)
		}
	}
	r := c.run("", "import", slug, filepath.Join(base, "alias"))
	if r.code != 0 || !strings.Contains(r.stdout, "Imported 1, already there 0, failed 0") {
		t.Errorf("import of a link to a folder: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = c.run("", "import", slug, filepath.Join(base, "outer"))
	if r.code != 1 || !strings.Contains(r.stdout, "Imported 1, already there 0, failed 3") {
		t.Errorf("import of a folder holding links: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"linked: a link to a folder", "loop: a link to a folder", "gone.jpg: a link to nothing"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import of a folder holding links: %q not said\n%s", want, r.stdout)
		}
	}
}

// TestBadInput_ServeBaseURL: serve's --base-url is checked as the setting
// is: an address every link would start with that opens nothing (no
// scheme, javascript:, a password in it) is refused at the start with the
// reason, instead of a warning in the log and broken links.
func TestBadInput_ServeBaseURL(t *testing.T) {
	c := newCLI(t)
	for _, bad := range []string{"javascript:alert(1)", "photos.example.com", "https://me:secret@photos.example.com", "https://photos.example.com/?a=1"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		var out, errb bytes.Buffer
		env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: func(k string) string {
			if k == "PINHOLE_DATA" {
				return c.data
			}
			return ""
		}}
		code := Run(ctx, env, []string{"serve", "--http", "127.0.0.1:0", "--ssh", "", "--base-url", bad})
		env.Close()
		cancel()
		if code == 0 || !strings.Contains(errb.String(), "use a full address") {
			t.Errorf("serve --base-url %q: exit %d, stderr %q", bad, code, errb.String())
		}
	}
}

// TestBadInput_DamagedOriginalImportedAgain: an original damaged on disk
// (cut short) is what doctor reports and says to import again; importing
// the photo again, into its gallery or another, puts the good copy in its
// place instead of keeping the damaged one under the same name.
func TestBadInput_DamagedOriginalImportedAgain(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Damaged")
	slug := g["slug"].(string)
	src := "../../testdata/photos/DSCN0010.jpg"
	want, _ := os.ReadFile(src)
	c.ok(nil, "import", slug, src)
	var ps []map[string]any
	c.ok(&ps, "photo", "list", slug)
	orig := ps[0]["original"].(string)
	if err := os.Truncate(orig, 5000); err != nil {
		t.Fatal(err)
	}
	if r := c.run("", "doctor"); r.code != 1 || !strings.Contains(r.stdout, "wrong-size") {
		t.Fatalf("doctor does not see the damage: exit %d\n%s", r.code, r.stdout)
	}
	// It says what mends it, and which photo that is.
	if r := c.run("", "doctor", "--repair"); !strings.Contains(r.stdout, "import the photo again") || !strings.Contains(r.stdout, "DSCN0010.jpg") {
		t.Errorf("doctor --repair does not say how to mend a damaged original:\n%s", r.stdout)
	}
	c.ok(nil, "import", slug, src)
	if got, _ := os.ReadFile(orig); !bytes.Equal(got, want) {
		t.Errorf("imported again into its gallery: the original holds %d bytes, want the %d imported", len(got), len(want))
	}
	os.Truncate(orig, 5000)
	c.ok(&g, "gallery", "create", "--title", "Another")
	c.ok(nil, "import", g["slug"].(string), src)
	if got, _ := os.ReadFile(orig); !bytes.Equal(got, want) {
		t.Errorf("imported again into another gallery: the original holds %d bytes, want the %d imported", len(got), len(want))
	}
	if r := c.run("", "doctor"); r.code != 0 {
		t.Errorf("doctor after importing again: exit %d\n%s", r.code, r.stdout)
	}
}
