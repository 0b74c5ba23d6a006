package sshd

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"pinhole/db"
	"pinhole/studio"
)

// TestSSH_ServerBaseURL: a server started with a base URL (serve
// --base-url) while the studio's base-url setting is unset: over SSH the
// TUI's status bar shows that address, and what it says about links and
// the links it shows agree with it (no "open only on this computer", no
// localhost link); the commands run over SSH hand out the same links.
func TestSSH_ServerBaseURL(t *testing.T) {
	const addr = "https://photos.example.com"
	ts := startServer(t, "", SSHConfig{Links: studio.Given{URL: addr}})
	g, err := ts.store.CreateGallery(context.Background(), db.GalleryInput{Title: new("Smith wedding")})
	if err != nil {
		t.Fatal(err)
	}
	link := addr + "/g/" + g.Slug
	client := ts.goClient(t)

	sess, in, out := openTUI(t, client, "xterm-256color", 160, 40)
	waitFor(t, out, "website "+addr)
	waitFor(t, out, "Smith wedding")
	time.Sleep(300 * time.Millisecond) // the settings load: the hint would follow
	io.WriteString(in, "s")
	waitFor(t, out, link)
	if s := ansi.Strip(out.String()); strings.Contains(s, "only on this computer") || strings.Contains(s, "localhost") {
		t.Errorf("the status bar shows %s but speaks of this computer:\n%s", addr, s)
	}
	io.WriteString(in, "q")
	if err := sess.Wait(); err != nil {
		t.Errorf("session end: %v", err)
	}

	for cmd, want := range map[string]string{
		"gallery share " + g.Slug: link, "gallery list --json": link, "gallery show " + g.Slug: link,
		"gallery preview " + g.Slug: addr + "/preview/",
	} {
		sess, err := client.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		got, err := sess.CombinedOutput(cmd)
		if err != nil || !strings.Contains(string(got), want) || strings.Contains(string(got), "localhost") {
			t.Errorf("ssh %s: %v\n%s\nwant %s…", cmd, err, got, want)
		}
	}
}
