package web

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"

	"golang.org/x/crypto/acme"
	"golang.org/x/crypto/acme/autocert"
)

// hsts tells browsers to come back over HTTPS only, for a year. Not for
// subdomains: the studio's other sites may not all speak HTTPS.
var hsts = []string{"max-age=31536000"}

// ACMEConfig is how the website gets its own certificates.
type ACMEConfig struct {
	Domains []string // the names the website answers to
	// CacheDir keeps the account key and the certificates, so that a
	// restart reuses them (the CA limits how many it issues).
	CacheDir string
	// Directory is the ACME server's directory URL; "" is Let's Encrypt.
	Directory string
	// CARoot is a PEM file of an extra root to trust for the ACME server
	// (a test CA such as Pebble); "" trusts the system's roots alone.
	CARoot string
}

// ACME obtains and renews the website's certificates: by TLS-ALPN-01 on
// the HTTPS port, or by HTTP-01 through HTTPRedirect.
type ACME struct {
	m       *autocert.Manager
	domains []string
}

// NewACME checks the configuration and prepares the certificate manager.
// Nothing is asked of the ACME server until the first visitor arrives.
func NewACME(cfg ACMEConfig) (*ACME, error) {
	if len(cfg.Domains) == 0 {
		return nil, errors.New("https: no domain to get a certificate for")
	}
	domains := make([]string, len(cfg.Domains))
	for i, d := range cfg.Domains {
		d = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(d), "."))
		if d == "" || strings.ContainsAny(d, "/: ") || net.ParseIP(d) != nil {
			return nil, fmt.Errorf("https: %q is not a domain name (a certificate is for a name like photos.example.com)", cfg.Domains[i])
		}
		domains[i] = d
	}
	if cfg.CacheDir == "" {
		return nil, errors.New("https: no folder to keep certificates in")
	}
	client := &acme.Client{DirectoryURL: cfg.Directory}
	if cfg.CARoot != "" {
		pem, err := os.ReadFile(cfg.CARoot)
		if err != nil {
			return nil, fmt.Errorf("https: ACME CA root: %w", err)
		}
		roots, err := x509.SystemCertPool()
		if err != nil {
			roots = x509.NewCertPool()
		}
		if !roots.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("https: ACME CA root %s holds no PEM certificate", cfg.CARoot)
		}
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.TLSClientConfig = &tls.Config{RootCAs: roots}
		client.HTTPClient = &http.Client{Transport: t}
	}
	return &ACME{
		m: &autocert.Manager{
			Prompt:     autocert.AcceptTOS,
			Cache:      autocert.DirCache(cfg.CacheDir),
			HostPolicy: autocert.HostWhitelist(domains...),
			Client:     client,
		},
		domains: domains,
	}, nil
}

// Domains are the names certificates are obtained for, as cleaned.
func (a *ACME) Domains() []string { return slices.Clone(a.domains) }

// Listener serves TLS on ln with the managed certificates.
func (a *ACME) Listener(ln net.Listener) net.Listener {
	cfg := a.m.TLSConfig()
	cfg.MinVersion = tls.VersionTLS12
	return tls.NewListener(ln, cfg)
}

// HTTPRedirect is the plain-HTTP side: it answers the ACME server's
// HTTP-01 challenges, and sends everything else to the same path over
// HTTPS on httpsPort ("443" leaves the port out of the address). A host
// that is not one of the domains goes to the first domain, so the
// redirect never leads elsewhere.
func (a *ACME) HTTPRedirect(httpsPort string) http.Handler {
	return a.m.HTTPHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host := a.domains[0]
		if h, _, err := net.SplitHostPort(r.Host); err == nil && slices.Contains(a.domains, strings.ToLower(h)) {
			host = strings.ToLower(h)
		} else if slices.Contains(a.domains, strings.ToLower(r.Host)) {
			host = strings.ToLower(r.Host)
		}
		if httpsPort != "443" {
			host = net.JoinHostPort(host, httpsPort)
		}
		u := "https://" + host + r.URL.RequestURI()
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, u, http.StatusPermanentRedirect)
	}))
}
