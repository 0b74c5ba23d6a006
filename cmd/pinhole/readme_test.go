package main

import (
	"bytes"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestReadme_FirstGalleryInFiveCommands runs the five commands of the
// README's first section, as written, on a fresh data folder with the real
// binary (the folder of photos and the slug filled in, and serve kept off
// the usual ports): the link they hand out opens the gallery, with its PIN,
// on the website they start.
func TestReadme_FirstGalleryInFiveCommands(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const heading = "## Your first gallery in five commands"
	if first := regexp.MustCompile(`(?m)^## .*$`).Find(readme); string(first) != heading {
		t.Fatalf("README's first section is %q, want %q", first, heading)
	}
	section := string(readme[bytes.Index(readme, []byte(heading)):])
	block := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(section)
	if block == nil {
		t.Fatal("no sh block in the first section")
	}
	var commands [][]string
	for _, line := range strings.Split(strings.TrimSpace(block[1]), "\n") {
		line, _, _ = strings.Cut(line, " #")
		commands = append(commands, shellWords(t, line))
	}
	if len(commands) != 5 {
		t.Fatalf("%d commands in the first section, want 5: %q", len(commands), commands)
	}

	data := filepath.Join(t.TempDir(), "data")
	env := append(os.Environ(), "PINHOLE_DATA="+data)
	photos := manyPhotos(t, 3)
	var slug, pin, link string
	for i, args := range commands {
		if len(args) < 2 || args[0] != "pinhole" {
			t.Fatalf("command %d is not pinhole's: %q", i+1, args)
		}
		args = args[1:]
		for j, a := range args {
			switch {
			case a == "SLUG":
				args[j] = slug
			case strings.HasPrefix(a, "~/"):
				args[j] = photos
			}
		}
		if args[0] == "serve" {
			break
		}
		out := runPinhole(t, env, args...)
		switch strings.Join(args[:min(2, len(args))], " ") {
		case "gallery create":
			m := regexp.MustCompile(`(?m)^Slug\s+(\S+)\n(?s:.*)^PIN\s+(\d+)$`).FindStringSubmatch(out)
			if m == nil {
				t.Fatalf("gallery create says no slug and PIN:\n%s", out)
			}
			slug, pin = m[1], m[2]
		case "import " + slug:
			if !strings.Contains(out, "Imported 3,") {
				t.Errorf("import says:\n%s", out)
			}
		case "gallery share":
			m := regexp.MustCompile(`(?m)^LINK\s+(\S+)$`).FindStringSubmatch(out)
			if m == nil || !strings.Contains(out, "PIN   "+pin) {
				t.Fatalf("gallery share says:\n%s", out)
			}
			link = m[1]
			if linkPart, _, _ := strings.Cut(out, "PIN   "); strings.Contains(linkPart, pin) {
				t.Errorf("the link's message holds the PIN:\n%s", out)
			}
		}
	}
	if slug == "" || link == "" {
		t.Fatalf("the commands gave no slug or link (slug %q, link %q)", slug, link)
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host != "photos.example.com" || u.Path != "/g/"+slug {
		t.Fatalf("the link %q does not start with the base-url the first command set", link)
	}

	serve := commands[4][1:]
	cmd := exec.Command(binary(t), append(serve, "--http", "127.0.0.1:0", "--ssh", "")...)
	cmd.Env = env
	logs, exited, _ := startProgram(t, cmd)
	var base string
	for deadline := time.Now().Add(30 * time.Second); base == ""; {
		if m := websiteLine.FindStringSubmatch(logs.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case <-exited:
			t.Fatalf("serve ended before serving: %s", logs)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start in 30 s: %s", logs)
		}
	}
	// The link's path on the website serve started: the PIN page, then,
	// with the PIN from share, the three photos.
	v := newBrowser(t)
	if page := v.must(base+u.Path, nil, 200); !bytes.Contains(page, []byte(`id="pin"`)) {
		t.Fatalf("the link opens no PIN page:\n%.400s", page)
	}
	v.must(base+u.Path+"/pin", url.Values{"pin": {pin}}, 303)
	page := v.must(base+u.Path, nil, 200)
	if n := bytes.Count(page, []byte(`<li data-r=`)); n != 3 {
		t.Errorf("with the PIN the gallery shows %d photos, want 3", n)
	}
}

// shellWords splits a command line as sh does for the plain words and
// double-quoted strings the README uses.
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	for _, m := range regexp.MustCompile(`"([^"]*)"|(\S+)`).FindAllStringSubmatch(line, -1) {
		if strings.ContainsAny(m[2], `'\$`+"`") {
			t.Fatalf("teach shellWords this word: %q", m[2])
		}
		if m[2] != "" {
			words = append(words, m[2])
		} else {
			words = append(words, m[1])
		}
	}
	return words
}
