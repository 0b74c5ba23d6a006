package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"pinhole/internal/testio"
)

// TestHelp: pinhole help lists the commands; help COMMAND shows a command's
// usage and flags, as --help does; an unknown one is wrong usage.
func TestHelp(t *testing.T) {
	c := newCLI(t)
	for _, tt := range []struct {
		args []string
		code int
		out  []string
	}{
		{[]string{"help"}, 0, []string{"Usage: pinhole", "gallery create", "doctor"}},
		{[]string{"help", "gallery", "create"}, 0, []string{"Usage: pinhole gallery create", "--title", "--downloads"}},
		{[]string{"help", "gallery"}, 0, []string{"Usage: pinhole gallery COMMAND", "gallery share"}},
		{[]string{"help", "doctor"}, 0, []string{"Usage: pinhole doctor", "--repair"}},
	} {
		r := c.run("", tt.args...)
		if r.code != tt.code {
			t.Errorf("pinhole %s: exit %d, stderr %q", strings.Join(tt.args, " "), r.code, r.stderr)
		}
		for _, want := range tt.out {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("pinhole %s: output lacks %q:\n%s", strings.Join(tt.args, " "), want, r.stdout)
			}
		}
	}
	if r := c.run("", "help", "gallery", "create"); r.stdout != c.run("", "gallery", "create", "--help").stdout {
		t.Errorf("help gallery create differs from gallery create --help")
	}
	if r := c.run("", "help", "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("help frobnicate: exit %d, %q", r.code, r.stderr)
	}
}

// TestServe_SaysTheBaseURLIsLocal: a first serve says where the website is
// and that links open only on this machine until the base URL is set.
func TestServe_SaysTheBaseURLIsLocal(t *testing.T) {
	for _, tt := range []struct {
		args []string
		says bool
	}{{nil, true}, {[]string{"--base-url", "https://photos.example.com"}, false}} {
		out, errs := &testio.Buffer{}, &testio.Buffer{}
		env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errs, Getenv: func(string) string { return "" }}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan int)
		go func() {
			done <- Run(ctx, env, append([]string{"--data", t.TempDir(), "serve", "--http", "127.0.0.1:0", "--ssh", ""}, tt.args...))
		}()
		deadline := time.Now().Add(20 * time.Second)
		for !strings.Contains(out.String(), "Pinhole website on http://127.0.0.1:") && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond)
		cancel()
		<-done
		env.Close()
		got := out.String()
		if !strings.Contains(got, "Pinhole website on http://127.0.0.1:") {
			t.Fatalf("serve %v: %q %q", tt.args, got, errs.String())
		}
		if says := strings.Contains(got, "opens only on this machine") && strings.Contains(got, "pinhole config set base-url"); says != tt.says {
			t.Errorf("serve %v: says the base URL is local: %v, want %v:\n%s", tt.args, says, tt.says, got)
		}
	}
}

// TestCLI_ShareSaysTheLinkIsLocal: gallery share, like serve, says when
// the link it prints opens only on this machine, until the base URL is
// set; the link itself and --json stay as they are.
func TestCLI_ShareSaysTheLinkIsLocal(t *testing.T) {
	c := newCLI(t)
	var g map[string]any
	c.ok(&g, "gallery", "create", "--title", "Smith wedding")
	slug := g["slug"].(string)
	r := c.run("", "gallery", "share", slug)
	if r.code != 0 || !strings.Contains(r.stdout, "LINK  http://localhost:8080/g/"+slug) {
		t.Fatalf("gallery share: exit %d, %q %q", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "opens only on this machine") || !strings.Contains(r.stderr, "pinhole config set base-url") {
		t.Errorf("gallery share with base-url unset says nothing of a link that opens only here: %q", r.stderr)
	}
	if r := c.run("", "gallery", "share", slug, "--json"); r.stderr != "" {
		t.Errorf("gallery share --json: stderr %q", r.stderr)
	}
	c.ok(nil, "config", "set", "base-url", "https://photos.example.com")
	if r := c.run("", "gallery", "share", slug); r.code != 0 || r.stderr != "" {
		t.Errorf("gallery share with base-url set: exit %d, stderr %q", r.code, r.stderr)
	}
}
