package main

import (
	"path/filepath"
	"strings"
	"testing"

	"pinhole/internal/testio"
)

// TestServe_SSHHelpAndCompletion: over SSH (a real ssh client against
// pinhole serve) the same tree answers help, --help on a subcommand and
// completion, with the gallery slugs and client codes of the server's
// database, minus the commands that run only on the server's machine.
func TestServe_SSHHelpAndCompletion(t *testing.T) {
	testio.NeedPrograms(t, "ssh", "ssh-keygen")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	c := &cliRunner{t: t, data: data}
	key := c.addAdmin(dir)
	var g galleryJSON
	c.ok(&g, "gallery", "create", "--title", "Smith wedding")
	var cl clientJSON
	c.ok(&cl, "client", "create", "--name", "Anna Smith")
	s := serve(t, data)

	// The session splits the remote command line as a shell would, an
	// empty quoted word included: ssh passes '' as it is typed.
	for _, tt := range []struct {
		args    []string
		code    int
		says    []string
		notSays string
	}{
		{[]string{"help"}, 0, []string{"Usage: pinhole [--data DIR] [--json] COMMAND", "gallery create", "completion bash|zsh|fish"}, "serve"},
		{[]string{"help", "gallery"}, 0, []string{"Usage: pinhole gallery COMMAND", "gallery share SLUG"}, ""},
		{[]string{"gallery", "create", "--help"}, 0, []string{"Usage: pinhole gallery create --title T", "--downloads"}, ""},
		{[]string{"help", "serve"}, 2, []string{`serve runs only on the server itself, not over SSH`}, ""},
		{[]string{"serve", "--help"}, 2, []string{`serve runs only on the server itself, not over SSH`}, ""},
		{[]string{"gallery", "list", "--colour"}, 2, []string{"flag provided but not defined: -colour"}, ""},
		{[]string{"completion", "bash"}, 0, []string{"__start_pinhole"}, ""},
		{[]string{"__complete", "gallery", "show", "smith"}, 0, []string{g.Slug + "\tSmith wedding"}, ""},
		{[]string{"__complete", "client", "show", cl.Code[:1]}, 0, []string{cl.Code + "\tAnna Smith"}, ""},
		{[]string{"__complete", "gallery", "show", "''"}, 0, []string{g.Slug + "\tSmith wedding"}, ""},
		{[]string{"__complete", "client", "show", `""`}, 0, []string{cl.Code + "\tAnna Smith"}, ""},
		{[]string{"__complete", "''"}, 0, []string{"gallery", "import"}, "tui"},
		{[]string{"gallery", "show", "'smith"}, 2, []string{"inside a quotation"}, ""},
		{[]string{"__complete", "t"}, 0, nil, "tui"},
		{[]string{"__complete", "i"}, 0, []string{"import"}, ""},
	} {
		r := s.ssh(t, key, "", tt.args...)
		all := r.stdout + r.stderr
		if r.code != tt.code {
			t.Errorf("ssh %s: exit %d, want %d: %s", strings.Join(tt.args, " "), r.code, tt.code, all)
		}
		for _, want := range tt.says {
			if !strings.Contains(all, want) {
				t.Errorf("ssh %s: lacks %q:\n%s", strings.Join(tt.args, " "), want, all)
			}
		}
		for _, line := range strings.Split(r.stdout, "\n") {
			if tt.notSays == "" || !strings.HasPrefix(strings.TrimSpace(line), tt.notSays) {
				continue
			}
			t.Errorf("ssh %s: offers %q, which runs only on the server's machine:\n%s", strings.Join(tt.args, " "), tt.notSays, r.stdout)
		}
	}
}
