package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"pinhole/db"
	"pinhole/internal/testio"
	"pinhole/media"
)

// Helpers for the tests that run serve in the test process.

// site is a data folder for serve: a public gallery with a photo, a PIN
// gallery (sitePIN) and a client login.
type site struct {
	dir                 string
	public, pinned      db.Gallery
	photo               db.Photo
	code                string
	thumbPath, pagePath string
}

const sitePIN = "4321"

func newSite(t *testing.T, dir string) *site {
	t.Helper()
	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	lib, err := media.Open(filepath.Join(dir, "photos"))
	if err != nil {
		t.Fatal(err)
	}
	s := &site{dir: dir}
	if s.public, err = store.CreateGallery(ctx, db.GalleryInput{Title: new("Open day"), Access: new(db.Public)}); err != nil {
		t.Fatal(err)
	}
	if s.pinned, err = store.CreateGallery(ctx, db.GalleryInput{Title: new("Wedding"), PIN: new(sitePIN)}); err != nil {
		t.Fatal(err)
	}
	mp, err := lib.Add(ctx, "../../testdata/photos/sample.jpg", media.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if s.photo, err = store.AddPhoto(ctx, db.Photo{GalleryID: s.public.ID, Filename: mp.Name, SHA256: mp.SHA256, Bytes: mp.Bytes, Width: mp.Width, Height: mp.Height}); err != nil {
		t.Fatal(err)
	}
	c, err := store.CreateClient(ctx, db.ClientInput{Name: new("Ada")})
	if err != nil {
		t.Fatal(err)
	}
	s.code = c.Code
	s.pagePath = "/g/" + s.public.Slug
	s.thumbPath = "/g/" + s.public.Slug + "/t/" + strconv.FormatInt(s.photo.ID, 10)
	return s
}

// serving is a pinhole serve run in the test process.
type serving struct {
	base      string // the first http:// address it prints
	out, errs *testio.Buffer
	stop      func()
}

// startServe runs pinhole serve on the data folder, with the website on a
// loopback port and no SSH.
func startServe(t *testing.T, dir string, extra ...string) serving {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, errs := &testio.Buffer{}, &testio.Buffer{}
	var base string
	env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errs, Getenv: func(string) string { return "" }}
	code := make(chan int, 1)
	args := append([]string{"--data", dir, "serve", "--http", "127.0.0.1:0", "--ssh", ""}, extra...)
	go func() {
		code <- Run(ctx, env, args)
		env.Close()
	}()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+`)
	for deadline := time.Now().Add(10 * time.Second); base == ""; {
		base = addr.FindString(out.String())
		select {
		case c := <-code:
			t.Fatalf("serve exited with %d: %s %s", c, out.String(), errs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start: %s %s", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case c := <-code:
			if c != 0 {
				t.Errorf("serve exited with %d: %s", c, errs.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("serve did not stop")
		}
	}
	t.Cleanup(stop)
	return serving{base, out, errs, stop}
}

// postForm posts a form as a browser on the same site does, and returns
// the answer with its body read.
func postForm(t *testing.T, c *http.Client, u string, form url.Values, hdr http.Header) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for k, v := range hdr {
		req.Header[k] = v
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp, string(b)
}

// visitor is a browser that trusts roots and reaches every name at addr,
// as a browser whose DNS points the name there would, from the loopback
// address from ("" for any).
func visitor(roots *x509.CertPool, from, addr string) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if from != "" {
		d.LocalAddr = &net.TCPAddr{IP: net.ParseIP(from)}
	}
	return &http.Client{
		Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: roots},
			ForceAttemptHTTP2: true,
			DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
				return d.DialContext(ctx, network, addr)
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       60 * time.Second,
	}
}

// startProgram starts cmd with its output in logs; done is closed when it
// has exited. stop kills it and waits (also at the end of the test).
func startProgram(t *testing.T, cmd *exec.Cmd) (logs *testio.Buffer, done <-chan struct{}, stop func()) {
	t.Helper()
	logs = &testio.Buffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cmd.Process.Kill()
			<-exited
		})
	}
	t.Cleanup(stop)
	return logs, exited, stop
}

// secureAnswer checks an answer that went over HTTPS: HSTS, and every
// cookie Secure (and HttpOnly).
func secureAnswer(t *testing.T, what string, resp *http.Response) {
	t.Helper()
	if got := resp.Header.Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("%s: Strict-Transport-Security %q", what, got)
	}
	for _, ck := range resp.Cookies() {
		if !ck.Secure || !ck.HttpOnly {
			t.Errorf("%s: cookie %s with Secure %v, HttpOnly %v", what, ck.Name, ck.Secure, ck.HttpOnly)
		}
	}
}
