package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/internal/testio"
	"pinhole/media"
)

// TestServe: pinhole serve answers /healthz and the website from the data
// folder, and on cancellation (SIGINT/SIGTERM in main) lets an in-flight
// ZIP download finish before it exits with status 0.
func TestServe(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := store.CreateGallery(ctx, db.GalleryInput{Title: new("Open day"), Access: new(db.Public)})
	if err != nil {
		t.Fatal(err)
	}
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"../../testdata/photos/ianare_exif-samples/jpg/Canon_PowerShot_S40.jpg",
		"../../testdata/photos/sample.jpg"} {
		mp, err := lib.Add(ctx, p, media.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := store.AddPhoto(ctx, db.Photo{GalleryID: g.ID, Filename: mp.Name, SHA256: mp.SHA256, Bytes: mp.Bytes, Width: mp.Width, Height: mp.Height}); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()

	sctx, stop := context.WithCancel(ctx)
	defer stop()
	out, errs := &testio.Buffer{}, &testio.Buffer{}
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errs, Getenv: func(string) string { return "" }}
	code := make(chan int, 1)
	go func() {
		code <- Run(sctx, env, []string{"--data", dir, "serve", "--http", "127.0.0.1:0", "--ssh", "127.0.0.1:0"})
		env.Close()
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		base = addr.FindString(out.String())
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()

	// Start a download, stop the server mid-way, finish reading.
	resp, err = http.Get(base + "/g/" + g.Slug + "/zip")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("zip: %v %v", resp, err)
	}
	first := make([]byte, 100)
	if _, err := io.ReadFull(resp.Body, first); err != nil {
		t.Fatal(err)
	}
	stop()
	rest, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("download cut by shutdown: %v", err)
	}
	body := append(first, rest...)
	if int64(len(body)) != resp.ContentLength {
		t.Fatalf("got %d of %d bytes", len(body), resp.ContentLength)
	}
	if _, err := zip.NewReader(bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit %d: %s", c, errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(errs.String(), "msg=http") {
		t.Errorf("no request log: %s", errs.String())
	}
}

// TestServe_StopWhileStarting: a stop signal (the context main cancels on
// SIGINT or SIGTERM) that arrives while serve is still opening the database,
// the listeners and the studio's settings ends it quietly with status 0, as a
// stop after start-up does, never with "context canceled" and status 1.
func TestServe_StopWhileStarting(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	for _, after := range []time.Duration{0, 100 * time.Microsecond, 500 * time.Microsecond, time.Millisecond,
		2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 50 * time.Millisecond} {
		ctx, stop := context.WithCancel(context.Background())
		time.AfterFunc(after, stop)
		out := &testio.Buffer{}
		env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
		code := Run(ctx, env, []string{"--data", data, "serve", "--http", "127.0.0.1:0", "--ssh", "127.0.0.1:0"})
		env.Close()
		stop()
		if code != 0 || strings.Contains(out.String(), "canceled") {
			t.Errorf("stopped %v after the start: exit %d\n%s", after, code, out.String())
		}
	}
}

// TestServe_LinksFollowTheListener: with neither --base-url nor the
// base-url setting, the links serve hands out (over SSH) start with the
// address its website answers at, here another port than the default's
// 8080, and open there.
func TestServe_LinksFollowTheListener(t *testing.T) {
	testio.NeedPrograms(t, "ssh", "ssh-keygen")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	st := newSite(t, data)
	c := &cliRunner{t: t, data: data}
	key := c.addAdmin(dir)
	s := serve(t, data)
	site := waitOutput(t, s.out, regexp.MustCompile(`website on (http://127\.0\.0\.1:\d+)`))[1]
	link := s.shareLink(t, key, st.public.Slug)
	if link != site+"/g/"+st.public.Slug {
		t.Fatalf("gallery share over SSH: the link is %s, want it on %s", link, site)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %s", link, resp.Status)
	}
}

// TestServe_SaysAnAddressThatOpens: listening on every address, serve
// names the website as the links do, http://localhost:PORT, an address a
// browser opens, not http://[::]:PORT.
func TestServe_SaysAnAddressThatOpens(t *testing.T) {
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	out := &testio.Buffer{}
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: out, Getenv: func(string) string { return "" }}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, env, []string{"--data", filepath.Join(t.TempDir(), "data"), "serve", "--http", ":0", "--ssh", ""})
		env.Close()
	}()
	site := waitOutput(t, out, regexp.MustCompile(`Pinhole website on (\S+)\n`))[1]
	if !regexp.MustCompile(`^http://localhost:\d+$`).MatchString(site) {
		t.Errorf("serve says the website is on %s, want http://localhost:PORT", site)
	}
	resp, err := http.Get(site + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s/healthz: %s", site, resp.Status)
	}
	stop()
	if code := <-done; code != 0 {
		t.Errorf("serve: exit %d\n%s", code, out.String())
	}
}
