package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"pinhole/db"
	"pinhole/internal/testio"
	"pinhole/mail/mailpittest"
)

// TestGalleryShare_Email: gallery share --email sends the link message
// through a real mail server, never the PIN, which it tells the
// photographer to send apart; config get hides the mail password; with
// the server away the message stays queued, the command says so and
// fails, and the activity shows it.
func TestGalleryShare_Email(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("Smith wedding"), PIN: new("482915")})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	mp := mailpittest.Start(t, false)

	if code, _, errs := run(t, dir, "gallery", "share", g.Slug, "--email", "anna@example.com"); code == 0 || !strings.Contains(errs, "smtp-url") {
		t.Fatalf("without smtp-url: exit %d %s", code, errs)
	}
	for _, kv := range [][2]string{{"smtp-url", mp.URL()}, {"mail-from", "studio@example.com"}, {"base-url", "https://photos.example.com"}} {
		if code, _, errs := run(t, dir, "config", "set", kv[0], kv[1]); code != 0 {
			t.Fatalf("config set %s: %s", kv[0], errs)
		}
	}
	if _, out, _ := run(t, dir, "config", "get", "smtp-url"); strings.Contains(out, mp.Pass) || !strings.Contains(out, "studio:xxxxx@") {
		t.Errorf("config get smtp-url shows %q", out)
	}
	if code, _, errs := run(t, dir, "gallery", "share", g.Slug, "--email", "not an address"); code == 0 || !strings.Contains(errs, "not an e-mail address") {
		t.Errorf("bad address: exit %d %s", code, errs)
	}
	code, out, errs := run(t, dir, "gallery", "share", g.Slug, "--email", "Anna Smith <anna@example.com>")
	if code != 0 || !strings.Contains(out, "E-mailed the link for \"Smith wedding\" to anna@example.com") || !strings.Contains(out, "send 482915 apart") {
		t.Fatalf("share --email: exit %d: %s%s", code, out, errs)
	}
	msgs := mp.Wait(t, 1)
	m := msgs[0]
	if m.To[0] != "anna@example.com" || m.From != "studio@example.com" || !strings.Contains(m.Subject, "Smith wedding") ||
		!strings.Contains(m.Text, "https://photos.example.com/g/"+g.Slug) || strings.Contains(m.Text+m.Subject, "482915") {
		t.Errorf("message %+v", m)
	}
	// A link template holding {pin} is refused rather than mailed.
	run(t, dir, "config", "set", "share-template-link", "Photos: {url} PIN {pin}")
	if code, _, errs := run(t, dir, "gallery", "share", g.Slug, "--email", "anna@example.com"); code == 0 || !strings.Contains(errs, "never carries it") {
		t.Errorf("template with {pin}: exit %d %s", code, errs)
	}
	run(t, dir, "config", "set", "share-template-link", "")

	// The mail server away.
	run(t, dir, "config", "set", "smtp-url", "smtp://"+testio.FreeAddr(t))
	code, out, errs = run(t, dir, "gallery", "share", g.Slug, "--email", "ben@example.com", "--json")
	var res struct {
		Sent  bool
		Error string
	}
	if code == 0 || json.Unmarshal([]byte(out), &res) != nil || res.Sent || !strings.Contains(errs, "stays queued") {
		t.Errorf("server away: exit %d: %s%s", code, out, errs)
	}
	if _, out, _ := run(t, dir, "activity"); !strings.Contains(out, "E-mail to ben@example.com") || !strings.Contains(out, "could not be sent (gallery link: ") ||
		!strings.Contains(out, "next try in 1m0s") {
		t.Errorf("activity does not show the failed send:\n%s", out)
	}
	if n := len(mp.Messages(t)); n != 1 {
		t.Errorf("%d messages received, want 1", n)
	}
}
