package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
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

// startCaddy runs Debian's caddy with deploy/Caddyfile, its site name and
// upstream replaced by domain and upstream, on loopback ports, with
// certificates from Caddy's internal CA kept in a temporary folder. It
// returns Caddy's HTTPS address and the internal CA's root.
func startCaddy(t *testing.T, domain, upstream string) (string, *x509.CertPool) {
	t.Helper()
	testio.NeedPrograms(t, "caddy")
	site, err := os.ReadFile("../../deploy/Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"photos.example.com", "127.0.0.1:8080"} {
		if !strings.Contains(string(site), s) {
			t.Fatalf("deploy/Caddyfile no longer names %s, which this test replaces", s)
		}
	}
	conf := strings.NewReplacer("photos.example.com", domain, "127.0.0.1:8080", upstream).Replace(string(site))
	dir := t.TempDir()
	httpsAddr, httpAddr := testio.FreeAddr(t), testio.FreeAddr(t)
	_, httpsPort, _ := net.SplitHostPort(httpsAddr)
	_, httpPort, _ := net.SplitHostPort(httpAddr)
	storage := filepath.Join(dir, "data")
	// Global options for the test only: no admin endpoint, the internal CA
	// without touching the system's trust store, loopback ports.
	global := fmt.Sprintf("{\n\tadmin off\n\tlocal_certs\n\tskip_install_trust\n\tdefault_bind 127.0.0.1\n\thttp_port %s\n\thttps_port %s\n\tstorage file_system %s\n}\n\n",
		httpPort, httpsPort, storage)
	file := filepath.Join(dir, "Caddyfile")
	if err := os.WriteFile(file, []byte(global+conf), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("caddy", "run", "--config", file, "--adapter", "caddyfile")
	cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_DATA_HOME="+dir, "XDG_CONFIG_HOME="+dir)
	logs, done, _ := startProgram(t, cmd)

	rootFile := filepath.Join(storage, "pki", "authorities", "local", "root.crt")
	for deadline := time.Now().Add(30 * time.Second); ; {
		if pemBytes, err := os.ReadFile(rootFile); err == nil {
			roots := x509.NewCertPool()
			if roots.AppendCertsFromPEM(pemBytes) {
				conn, err := tls.Dial("tcp", httpsAddr, &tls.Config{RootCAs: roots, ServerName: domain})
				if err == nil {
					conn.Close()
					return httpsAddr, roots
				}
			}
		}
		select {
		case <-done:
			t.Fatalf("caddy exited:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("caddy did not serve %s:\n%s", domain, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestServe_BehindCaddy: serve --trust-proxy behind Caddy as
// deploy/Caddyfile sets it up. Pages come with HSTS and Secure cookies,
// since Caddy says the visitor came over HTTPS; wrong PINs are throttled
// per real address, whatever X-Forwarded-For a visitor sends itself; and
// the log shows the real addresses.
func TestServe_BehindCaddy(t *testing.T) {
	dir := t.TempDir()
	st := newSite(t, dir)
	open, pinned := st.public, st.pinned
	const domain = "photos.test"
	srv := startServe(t, dir, "--trust-proxy")
	addr, roots := startCaddy(t, domain, strings.TrimPrefix(srv.base, "http://"))
	_, port, _ := net.SplitHostPort(addr)
	origin := "https://" + domain + ":" + port
	guesser := visitor(roots, "127.0.0.2", addr)
	client := visitor(roots, "127.0.0.3", addr)

	resp, err := client.Get(origin + "/g/" + open.Slug)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Open day") {
		t.Fatalf("gallery through Caddy: %d\n%s", resp.StatusCode, body)
	}
	secureAnswer(t, "gallery through Caddy", resp)

	tryPIN := func(c *http.Client, pin string, hdr http.Header) *http.Response {
		t.Helper()
		resp, _ := postForm(t, c, origin+"/g/"+pinned.Slug+"/pin", url.Values{"pin": {pin}}, hdr)
		return resp
	}
	// The guesser claims a new address on every try; Caddy replaces the
	// claim with the real one, so the free tries run out all the same.
	var last *http.Response
	for i := range 8 {
		last = tryPIN(guesser, "0000", http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i)}})
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
		if last.StatusCode != http.StatusForbidden {
			t.Fatalf("wrong PIN %d: %d", i+1, last.StatusCode)
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Errorf("guesser after 8 wrong PINs: %d, Retry-After %q; want 429 with Retry-After", last.StatusCode, last.Header.Get("Retry-After"))
	}

	// The client, at another address, is not held up by the guesser.
	if resp := tryPIN(client, "1111", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("client's wrong PIN while a guesser is throttled: %d, want 403", resp.StatusCode)
	}
	resp = tryPIN(client, sitePIN, nil)
	if resp.StatusCode != http.StatusSeeOther || len(resp.Cookies()) == 0 {
		t.Fatalf("client's right PIN: %d, cookies %v", resp.StatusCode, resp.Cookies())
	}
	secureAnswer(t, "right PIN through Caddy", resp)

	// The log names the real addresses, never a claimed one.
	waitOutput(t, srv.errs, regexp.MustCompile(`status=303 .*addr=127\.0\.0\.3`))
	waitOutput(t, srv.errs, regexp.MustCompile(`status=429 .*addr=127\.0\.0\.2`))
	if strings.Contains(srv.errs.String(), "198.51.100.") {
		t.Errorf("a claimed X-Forwarded-For reached the log:\n%s", srv.errs.String())
	}
}
