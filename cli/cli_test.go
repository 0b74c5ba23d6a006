package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// run runs the command line with this package's commands on a data folder.
func run(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errs bytes.Buffer
	env := &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), env, append([]string{"--data", dir}, args...))
	env.Close()
	return code, out.String(), errs.String()
}

// TestHelp: help lists the commands, help COMMAND and --help on any
// command show its usage on stdout with status 0; an unknown command or
// flag is wrong usage (status 2) with the usage on stderr.
func TestHelp(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		args     []string
		code     int
		out, err []string
	}{
		{[]string{"help"}, 0, []string{"Usage: pinhole [--data DIR] [--json] COMMAND", "gallery create --title T", "client grant CLIENT SLUG...", "doctor [--repair]", "completion bash|zsh|fish", "pinhole help COMMAND, or COMMAND --help"}, nil},
		{[]string{"-help"}, 0, []string{"Usage: pinhole [--data DIR] [--json] COMMAND"}, nil},
		{[]string{"--help"}, 0, []string{"Usage: pinhole [--data DIR] [--json] COMMAND", "favourites SLUG"}, nil},
		{[]string{"help", "gallery"}, 0, []string{"Usage: pinhole gallery COMMAND ...", "gallery share SLUG", "gallery preview SLUG"}, nil},
		{[]string{"gallery", "--help"}, 0, []string{"Usage: pinhole gallery COMMAND ...", "gallery set SLUG"}, nil},
		{[]string{"help", "gallery", "create"}, 0, []string{"Usage: pinhole gallery create --title T", "--downloads", "--max-picks"}, nil},
		{[]string{"gallery", "create", "--help"}, 0, []string{"Usage: pinhole gallery create --title T", "--downloads", "--max-picks"}, nil},
		{[]string{"gallery", "show", "-help"}, 0, []string{"Usage: pinhole gallery show SLUG"}, nil},
		{[]string{"client", "delete", "-h"}, 0, []string{"Usage: pinhole client delete CLIENT [--yes]", "--yes"}, nil},
		{[]string{"help", "completion"}, 0, []string{"Usage: pinhole completion bash|zsh|fish"}, nil},
		{[]string{"help", "help"}, 0, []string{"Usage: pinhole help [COMMAND]"}, nil},
		{[]string{"help", "frobnicate"}, 2, nil, []string{`pinhole help: unknown command "frobnicate"`, "Usage: pinhole [--data DIR]"}},
		{[]string{"frobnicate", "now"}, 2, nil, []string{`pinhole: unknown command "frobnicate now"`, "Usage: pinhole [--data DIR]"}},
		{[]string{"gallery", "frobnicate"}, 2, nil, []string{`pinhole gallery: unknown command "frobnicate"`, "Usage: pinhole gallery COMMAND"}},
		{[]string{"gallery"}, 2, nil, []string{"Usage: pinhole gallery COMMAND"}},
		{[]string{"frobnicate", "--help"}, 2, nil, []string{`pinhole: unknown command "frobnicate"`, "Usage: pinhole [--data DIR]"}},
		{[]string{"--data", dir, "frobnicate", "-h"}, 2, nil, []string{`pinhole: unknown command "frobnicate"`}},
		{[]string{"gallery", "frobnicate", "-help"}, 2, nil, []string{`pinhole gallery: unknown command "frobnicate"`, "Usage: pinhole gallery COMMAND"}},
		{[]string{"gallery", "--help", "--json"}, 0, []string{"Usage: pinhole gallery COMMAND"}, nil},
		{[]string{"gallery", "list", "--colour"}, 2, nil, []string{"pinhole gallery list: flag provided but not defined: -colour", `put it after "--"`, "Usage: pinhole gallery list"}},
		{[]string{"gallery", "set", "x", "--max-picks", "many"}, 2, nil, []string{`pinhole gallery set: invalid value "many" for flag -max-picks: parse error`}},
		{[]string{"completion"}, 2, nil, []string{"pinhole completion: give the shell: bash, zsh or fish"}},
		{[]string{"completion", "tcsh"}, 2, nil, []string{`unknown shell "tcsh"`}},
	} {
		code, out, errs := run(t, dir, tt.args...)
		if code != tt.code {
			t.Errorf("pinhole %s: exit %d, want %d; stderr %q", strings.Join(tt.args, " "), code, tt.code, errs)
		}
		for _, want := range tt.out {
			if !strings.Contains(out, want) {
				t.Errorf("pinhole %s: stdout lacks %q:\n%s", strings.Join(tt.args, " "), want, out)
			}
		}
		for _, want := range tt.err {
			if !strings.Contains(errs, want) {
				t.Errorf("pinhole %s: stderr lacks %q:\n%s", strings.Join(tt.args, " "), want, errs)
			}
		}
		if tt.code != 0 && out != "" {
			t.Errorf("pinhole %s: wrong usage printed on stdout: %q", strings.Join(tt.args, " "), out)
		}
	}
	_, viaHelp, _ := run(t, dir, "help", "gallery", "set")
	_, viaFlag, _ := run(t, dir, "gallery", "set", "--help")
	if viaHelp != viaFlag {
		t.Errorf("help gallery set and gallery set --help differ:\n%s\n%s", viaHelp, viaFlag)
	}
}

// TestSingleDashFlags: a long flag may start with one dash, and a value
// that starts with one stays a value.
func TestSingleDashFlags(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := run(t, dir, "gallery", "create", "-title", "-dashing-", "-json")
	var g GalleryJSON
	if err := json.Unmarshal([]byte(out), &g); code != 0 || err != nil || g.Title != "-dashing-" {
		t.Fatalf("gallery create -title -dashing- -json: exit %d, %v, %q %q", code, err, out, errs)
	}
}

// TestCompletion: the scripts for bash, zsh and fish, and what they ask
// the command line for: commands, and gallery slugs and client codes read
// from the database, for arguments and flags alike.
func TestCompletion(t *testing.T) {
	dir := t.TempDir()
	for shell, want := range map[string]string{"bash": "__start_pinhole", "zsh": "#compdef pinhole", "fish": "complete -c pinhole"} {
		code, out, errs := run(t, dir, "completion", shell)
		if code != 0 || !strings.Contains(out, want) || !strings.Contains(out, "__complete") {
			t.Errorf("completion %s: exit %d, %q; script lacks %q or __complete:\n%.300s", shell, code, errs, want, out)
		}
	}

	// Before any database: nothing to offer, and none is made.
	if code, out, _ := run(t, dir, "__complete", "gallery", "show", ""); code != 0 || strings.Contains(out, "\t") {
		t.Errorf("completion without a database: exit %d, %q", code, out)
	}

	var g, kid GalleryJSON
	var cl ClientJSON
	for _, step := range []struct {
		v    any
		args []string
	}{
		{&g, []string{"gallery", "create", "--title", "Smith wedding", "--json"}},
		{&kid, []string{"gallery", "create", "--title", "Ceremony", "--json"}},
		{&cl, []string{"client", "create", "--name", "Anna Smith", "--json"}},
	} {
		code, out, errs := run(t, dir, step.args...)
		if err := json.Unmarshal([]byte(out), step.v); code != 0 || err != nil {
			t.Fatalf("%v: exit %d, %v, %s", step.args, code, err, errs)
		}
	}
	complete := func(args ...string) []string {
		t.Helper()
		code, out, errs := run(t, dir, append([]string{"__complete"}, args...)...)
		if code != 0 {
			t.Fatalf("__complete %v: exit %d: %s", args, code, errs)
		}
		var words []string
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.HasPrefix(line, ":") {
				words = append(words, strings.SplitN(line, "\t", 2)[0])
			}
		}
		return words
	}
	has := func(words []string, want ...string) bool {
		for _, w := range want {
			found := false
			for _, x := range words {
				found = found || x == w
			}
			if !found {
				return false
			}
		}
		return true
	}
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"gall"}, []string{"gallery"}},
		{[]string{"gallery", "s"}, []string{"set", "share", "show"}},
		{[]string{"gallery", "show", ""}, []string{g.Slug, kid.Slug}},
		{[]string{"gallery", "show", "smith"}, []string{g.Slug}},
		{[]string{"gallery", "set", kid.Slug, "--parent", ""}, []string{g.Slug}},
		{[]string{"favourites", ""}, []string{g.Slug}},
		{[]string{"import", ""}, []string{g.Slug}},
		{[]string{"client", "show", ""}, []string{cl.Code}},
		{[]string{"client", "grant", cl.Code, ""}, []string{g.Slug, kid.Slug}},
		{[]string{"activity", "--client", ""}, []string{cl.Code}},
		{[]string{"config", "get", "studio"}, []string{"studio-name"}},
		{[]string{"help", "gal"}, []string{"gallery"}},
		{[]string{"completion", ""}, []string{"bash", "zsh", "fish"}},
		{[]string{"gallery", "create", "--access", ""}, []string{"public", "pin", "download-pin"}},
		{[]string{"gallery", "set", g.Slug, "--downloads", ""}, []string{"off", "web", "original"}},
	} {
		if got := complete(tt.args...); !has(got, tt.want...) {
			t.Errorf("__complete %q = %q, want %q among them", tt.args, got, tt.want)
		}
	}
	if got := complete("gallery", "show", "smith"); has(got, kid.Slug) {
		t.Errorf("completing smith offers %q: %q", kid.Slug, got)
	}
	if got := complete("gallery", "show", g.Slug, ""); len(got) != 0 {
		t.Errorf("a second slug for gallery show: %q", got)
	}
}
