package main

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"pinhole/internal/testio"
)

// pebble is Let's Encrypt's test ACME server, run by a test.
type pebble struct {
	directory string // ACME directory URL
	caFile    string // the root its own HTTPS answers with (for --acme-ca-root)
	roots     *x509.CertPool
	stop      func()
}

// startPebble runs pebble on loopback ports. It validates every challenge
// without looking (PEBBLE_VA_ALWAYS_VALID): the test's domain resolves
// nowhere. roots holds the root it issues from, fetched from its
// management port.
func startPebble(t *testing.T) *pebble {
	t.Helper()
	bin := testio.GoProgram(t, "pebble", "go install github.com/letsencrypt/pebble/v2/cmd/pebble@v2.10.3")
	dir := t.TempDir()
	certFile, keyFile := testio.SelfSigned(t, dir)
	acmeAddr, mgmtAddr := testio.FreeAddr(t), testio.FreeAddr(t)
	cfg := map[string]any{"pebble": map[string]any{
		"listenAddress": acmeAddr, "managementListenAddress": mgmtAddr,
		"certificate": certFile, "privateKey": keyFile,
		"httpPort": 5002, "tlsPort": 5001, "ocspResponderURL": "",
		"externalAccountBindingRequired": false,
		"profiles":                       map[string]any{"default": map[string]any{"description": "default", "validityPeriod": 7776000}},
	}}
	b, _ := json.Marshal(cfg)
	cfgFile := filepath.Join(dir, "pebble.json")
	if err := os.WriteFile(cfgFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "-config", cfgFile)
	cmd.Env = append(os.Environ(), "PEBBLE_VA_ALWAYS_VALID=1", "PEBBLE_VA_NOSLEEP=1", "PEBBLE_WFE_NONCEREJECT=0")
	p := &pebble{directory: "https://" + acmeAddr + "/dir", caFile: certFile}
	logs, done, stop := startProgram(t, cmd)
	p.stop = stop

	own := x509.NewCertPool()
	pemBytes, _ := os.ReadFile(certFile)
	own.AppendCertsFromPEM(pemBytes)
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: own}}, Timeout: 5 * time.Second}
	for deadline := time.Now().Add(20 * time.Second); ; {
		resp, err := c.Get("https://" + mgmtAddr + "/roots/0")
		if err == nil {
			root, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			p.roots = x509.NewCertPool()
			if resp.StatusCode == http.StatusOK && p.roots.AppendCertsFromPEM(root) {
				break
			}
		}
		select {
		case <-done:
			t.Fatalf("pebble exited:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("pebble did not start: %v\n%s", err, logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return p
}

// TestServe_HTTPS: serve --tls-domain gets a certificate from a real
// Pebble, a client trusting Pebble's root opens a gallery over HTTPS with
// HSTS and Secure cookies, plain HTTP redirects to HTTPS, and a restart
// serves the stored certificate while the ACME server is gone.
func TestServe_HTTPS(t *testing.T) {
	p := startPebble(t)
	dir := t.TempDir()
	st := newSite(t, dir)
	open, pinned := st.public, st.pinned
	const domain = "photos.test"
	flags := []string{"--tls-domain", domain, "--https", "127.0.0.1:0",
		"--acme-directory", p.directory, "--acme-ca-root", p.caFile}
	httpsLine := regexp.MustCompile(`Pinhole website on https://photos\.test:\d+ \(HTTPS on (127\.0\.0\.1:\d+)\)`)

	// first fetches the public gallery over HTTPS from a fresh client and
	// returns the certificate it was served with.
	fetch := func(t *testing.T, srv serving) *x509.Certificate {
		t.Helper()
		addr := httpsLine.FindStringSubmatch(srv.out.String())[1]
		c := visitor(p.roots, "", addr)
		_, port, _ := net.SplitHostPort(addr)
		origin := "https://" + domain + ":" + port
		resp, err := c.Get(origin + "/g/" + open.Slug)
		if err != nil {
			t.Fatalf("GET over HTTPS: %v\n%s", err, srv.errs.String())
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Open day") {
			t.Fatalf("gallery over HTTPS: %d\n%s", resp.StatusCode, body)
		}
		secureAnswer(t, "gallery over HTTPS", resp)
		if resp.ProtoMajor != 2 {
			t.Errorf("gallery over HTTPS came by %s, want HTTP/2 as browsers ask", resp.Proto)
		}
		leaf := resp.TLS.PeerCertificates[0]
		if err := leaf.VerifyHostname(domain); err != nil {
			t.Error(err)
		}

		// A download streams whole over HTTP/2 and TLS.
		resp, err = c.Get(origin + "/g/" + open.Slug + "/zip")
		if err != nil {
			t.Fatal(err)
		}
		zipped, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || int64(len(zipped)) != resp.ContentLength {
			t.Fatalf("ZIP over HTTPS: %d, %d of %d bytes, %v", resp.StatusCode, len(zipped), resp.ContentLength, err)
		}
		if zr, err := zip.NewReader(bytes.NewReader(zipped), int64(len(zipped))); err != nil || len(zr.File) != 1 {
			t.Errorf("ZIP over HTTPS: %v", err)
		}

		// A right PIN: its session cookie is Secure, and the answer has HSTS.
		resp, _ = postForm(t, c, origin+"/g/"+pinned.Slug+"/pin", url.Values{"pin": {sitePIN}}, nil)
		if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
			t.Fatalf("PIN over HTTPS: %d, cookies %v", resp.StatusCode, resp.Cookies())
		}
		secureAnswer(t, "right PIN over HTTPS", resp)
		return leaf
	}

	srv := startServe(t, dir, flags...)
	first := fetch(t, srv)

	// Plain HTTP: a redirect to the same place over HTTPS, and no page.
	addr := httpsLine.FindStringSubmatch(srv.out.String())[1]
	_, port, _ := net.SplitHostPort(addr)
	req, _ := http.NewRequest(http.MethodGet, srv.base+"/g/"+open.Slug+"?fav=1", nil)
	req.Host = domain
	resp, err := visitor(nil, "", strings.TrimPrefix(srv.base, "http://")).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	want := "https://" + domain + ":" + port + "/g/" + open.Slug + "?fav=1"
	if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != want {
		t.Errorf("plain HTTP: %d to %q, want %d to %q", resp.StatusCode, resp.Header.Get("Location"), http.StatusPermanentRedirect, want)
	}
	certs, _ := filepath.Glob(filepath.Join(dir, "certs", domain+"*"))
	if len(certs) == 0 {
		t.Error("no certificate kept in the data folder's certs/")
	}
	srv.stop()

	// The ACME server is gone: a restart must serve the kept certificate.
	p.stop()
	srv = startServe(t, dir, flags...)
	again := fetch(t, srv)
	if again.SerialNumber.Cmp(first.SerialNumber) != 0 {
		t.Errorf("after a restart: certificate %x, want the stored %x", again.SerialNumber, first.SerialNumber)
	}
	srv.stop()
}

// TestServe_HTTPSFlagsRefused: HTTPS flags without --tls-domain, and a
// --tls-domain that is no domain, are refused with a message saying why,
// before anything listens.
func TestServe_HTTPSFlagsRefused(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--https", "127.0.0.1:0"}, "--https needs --tls-domain"},
		{[]string{"--acme-directory", "https://127.0.0.1:1/dir"}, "--acme-directory needs --tls-domain"},
		{[]string{"--tls-domain", "203.0.113.7"}, `"203.0.113.7" is not a domain name`},
		{[]string{"--tls-domain", "photos.test", "--acme-ca-root", filepath.Join(t.TempDir(), "missing.pem")}, "ACME CA root"},
	} {
		out, errs := &testio.Buffer{}, &testio.Buffer{}
		env := &Env{Stdin: strings.NewReader(""), Stdout: out, Stderr: errs, Getenv: func(string) string { return "" }}
		args := append([]string{"--data", t.TempDir(), "serve", "--http", "127.0.0.1:0", "--ssh", ""}, tt.args...)
		code := Run(context.Background(), env, args)
		env.Close()
		if code == 0 || !strings.Contains(errs.String(), tt.want) {
			t.Errorf("serve %s: exit %d, %q; want a failure saying %q", strings.Join(tt.args, " "), code, errs.String(), tt.want)
		}
		if strings.Contains(out.String(), "Pinhole website on") {
			t.Errorf("serve %s: started", strings.Join(tt.args, " "))
		}
	}
}

// TestServe_HTTPSLinks: serve --tls-domain DOMAIN starts links with
// https://DOMAIN while the base-url setting is unset: the start-up says
// nothing of links opening only on this machine, the links handed out over
// SSH start with it and open over HTTPS, and the TUI over SSH shows it in
// its status bar. A base-url setting the photographer set comes before it,
// and --base-url before both.
func TestServe_HTTPSLinks(t *testing.T) {
	testio.NeedPrograms(t, "ssh", "ssh-keygen", "tmux")
	p := startPebble(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	st := newSite(t, data)
	c := &cliRunner{t: t, data: data}
	key := c.addAdmin(dir)
	flags := []string{"--tls-domain", "photos.test", "--https", "127.0.0.1:0",
		"--acme-directory", p.directory, "--acme-ca-root", p.caFile}
	httpsLine := regexp.MustCompile(`Pinhole website on (https://photos\.test:\d+) \(HTTPS on (127\.0\.0\.1:\d+)\)`)

	share := func(t *testing.T, s *served) string { return s.shareLink(t, key, st.public.Slug) }

	s := serve(t, data, flags...)
	m := waitOutput(t, s.out, httpsLine)
	origin, addr := m[1], m[2]
	if strings.Contains(s.out.String(), "opens only on this machine") {
		t.Errorf("serve --tls-domain says links open only on this machine:\n%s", s.out.String())
	}
	want := origin + "/g/" + st.public.Slug
	if got := share(t, s); got != want {
		t.Errorf("serve --tls-domain: the link over SSH is %s, want %s", got, want)
	}
	resp, err := visitor(p.roots, "", addr).Get(want)
	if err != nil {
		t.Fatalf("GET %s: %v", want, err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Open day") {
		t.Errorf("GET %s: %d\n%s", want, resp.StatusCode, body)
	}
	x := tmuxRun(t, "ssh "+strings.Join(testio.SSHOptions(key), " ")+" -tt -p "+s.sshPort+" admin@127.0.0.1")
	x.waitFor("website " + origin)
	x.waitFor("2 galleries")
	time.Sleep(300 * time.Millisecond) // the settings load: the warning would follow
	if pane := x.waitFor("website " + origin); strings.Contains(pane, "only on this computer") {
		t.Errorf("the TUI over SSH says links open only on this computer:\n%s", pane)
	}
	x.keys("q")
	x.waitFor("pinhole exited 0")
	s.stop(t)

	if r := c.run("", "config", "set", "base-url", "https://studio.example.com"); r.code != 0 {
		t.Fatalf("config set base-url: exit %d: %s", r.code, r.stderr)
	}
	s = serve(t, data, flags...)
	if got, want := share(t, s), "https://studio.example.com/g/"+st.public.Slug; got != want {
		t.Errorf("serve --tls-domain with the base-url setting: the link is %s, want %s", got, want)
	}
	s.stop(t)

	s = serve(t, data, append(flags, "--base-url", "https://flag.example.com")...)
	if got, want := share(t, s), "https://flag.example.com/g/"+st.public.Slug; got != want {
		t.Errorf("serve --tls-domain --base-url: the link is %s, want %s", got, want)
	}
	s.stop(t)
}
