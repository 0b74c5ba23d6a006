package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/internal/testio"
)

// Every upload session ends with the exit status it deserves: 0 when every
// file went in, 1 when one was refused, with each refused file named on
// the user's stderr with its reason, once.
func TestServe_UploadsTellTheTruth(t *testing.T) {
	testio.NeedPrograms(t, "ssh", "scp", "sftp", "ssh-keygen")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	c := &cliRunner{t: t, data: data}
	key := c.addAdmin(dir)
	s := serve(t, data)
	src, good, bad := photoFiles(t)
	gallery := func() string {
		t.Helper()
		var g galleryJSON
		s.sshJSON(t, key, &g, "gallery", "create", "--title", "uploads", "--json")
		return g.Slug
	}
	paths := func(names ...string) []string {
		var out []string
		for _, n := range names {
			out = append(out, filepath.Join(src, n))
		}
		return out
	}
	scp := func(legacy bool, slug string, names ...string) result {
		t.Helper()
		args := append(testio.SSHOptions(key), "-P", s.sshPort)
		if legacy {
			args = append(args, "-O")
		}
		args = append(append(args, paths(names...)...), "admin@127.0.0.1:"+slug+"/")
		return runProg(t, "", "scp", args...)
	}
	sftp := func(slug string, names ...string) result {
		t.Helper()
		batch := filepath.Join(t.TempDir(), "batch")
		cmds := fmt.Sprintf("cd %s\nlcd %s\n", slug, src)
		for _, n := range names {
			cmds += "put " + n + "\n"
		}
		os.WriteFile(batch, []byte(cmds), 0o644)
		return runProg(t, "", "sftp", append(testio.SSHOptions(key), "-P", s.sshPort, "-b", batch, "admin@127.0.0.1")...)
	}
	// refused checks a failed upload: exit 1, the file named once with
	// the reason, and nothing said twice.
	refused := func(how string, r result, name, reason string) {
		t.Helper()
		if r.code != 1 {
			t.Errorf("%s: exit %d, want 1\n%s", how, r.code, r.stderr)
		}
		var lines []string
		for _, l := range strings.Split(r.stderr, "\n") {
			if strings.Contains(l, name) && strings.Contains(l, reason) {
				lines = append(lines, l)
			}
		}
		if len(lines) != 1 {
			t.Errorf("%s: stderr should name %s with %q once:\n%s", how, name, reason, r.stderr)
		}
		if strings.Contains(r.stderr, name+": "+name) || strings.Contains(r.stderr, "import "+name+": import") {
			t.Errorf("%s: stderr repeats itself:\n%s", how, r.stderr)
		}
	}

	for _, tc := range []struct {
		how string
		put func(slug string, names ...string) result
	}{
		{"scp", func(slug string, names ...string) result { return scp(false, slug, names...) }},
		{"scp -O", func(slug string, names ...string) result { return scp(true, slug, names...) }},
		{"sftp", sftp},
	} {
		t.Run(tc.how, func(t *testing.T) {
			slug := gallery()
			if r := tc.put(slug, good...); r.code != 0 || r.stderr != "" {
				t.Errorf("all good: exit %d, stderr %q; want 0 and nothing", r.code, r.stderr)
			}
			s.checkPhotos(t, key, slug, good)

			slug = gallery()
			// The refused file first: the others still go in (sftp's batch
			// stops at a failed put, so there it comes last).
			names := append([]string{bad[0]}, good...)
			if tc.how == "sftp" {
				names = append(append([]string{}, good...), bad[0])
			}
			r := tc.put(slug, names...)
			refused(tc.how, r, bad[0], "unsupported format")
			s.checkPhotos(t, key, slug, good)
		})
	}

	t.Run("max-upload", func(t *testing.T) {
		if r := s.ssh(t, key, "", "config", "get", "max-upload"); r.code != 0 || strings.TrimSpace(r.stdout) != "1 GiB" {
			t.Errorf("config get max-upload: exit %d, %q; want 1 GiB", r.code, r.stdout)
		}
		for _, v := range []string{"lots", "0", "12 parsecs"} {
			if r := s.ssh(t, key, "", "config", "set", "max-upload", "'"+v+"'"); r.code == 0 || !strings.Contains(r.stderr, "max-upload") {
				t.Errorf("config set max-upload %q: exit %d, %q; want refused", v, r.code, r.stderr)
			}
		}
		if r := s.ssh(t, key, "", "config", "set", "max-upload", "'4.5 kB'"); r.code != 0 {
			t.Fatalf("config set max-upload: exit %d: %s", r.code, r.stderr)
		}
		// hopper_orientation_6.jpg is 4,951 bytes, the others less.
		slug := gallery()
		r := scp(false, slug, good...)
		refused("scp over the limit", r, "hopper_orientation_6.jpg", "larger than the upload limit of 4.5 kB")
		s.checkPhotos(t, key, slug, good[:3])
		s.ssh(t, key, "", "config", "set", "max-upload", "''")
	})
}
