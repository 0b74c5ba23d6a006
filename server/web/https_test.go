package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestNewACME_RefusesWhatIsNoDomain(t *testing.T) {
	for _, d := range []string{"", "203.0.113.7", "photos.example.com:443", "https://photos.example.com", "a b"} {
		if _, err := NewACME(ACMEConfig{Domains: []string{d}, CacheDir: t.TempDir()}); err == nil {
			t.Errorf("NewACME(%q) accepted it", d)
		}
	}
	a, err := NewACME(ACMEConfig{Domains: []string{"Photos.Example.com."}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Domains(); len(got) != 1 || got[0] != "photos.example.com" {
		t.Errorf("Domains() = %q", got)
	}
}

// TestACME_HTTPRedirect: plain HTTP goes to the same path over HTTPS, on
// the asked-for domain when it is one of ours, else on the first.
func TestACME_HTTPRedirect(t *testing.T) {
	a, err := NewACME(ACMEConfig{Domains: []string{"photos.example.com", "www.example.com"}, CacheDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ host, port, path, want string }{
		{"photos.example.com", "443", "/g/x?fav=1", "https://photos.example.com/g/x?fav=1"},
		{"WWW.example.com:80", "443", "/", "https://www.example.com/"},
		{"evil.example.net", "443", "/g/x", "https://photos.example.com/g/x"},
		{"photos.example.com", "8443", "/me", "https://photos.example.com:8443/me"},
	} {
		req := httptest.NewRequest(http.MethodGet, "http://"+tt.host+tt.path, nil)
		rec := httptest.NewRecorder()
		a.HTTPRedirect(tt.port).ServeHTTP(rec, req)
		if rec.Code != http.StatusPermanentRedirect || rec.Header().Get("Location") != tt.want {
			t.Errorf("%s%s: %d to %q, want %q", tt.host, tt.path, rec.Code, rec.Header().Get("Location"), tt.want)
		}
	}
}

// TestHeaders_HSTSOnlyOverHTTPS: HSTS on answers over HTTPS (or through a
// trusted proxy that saw HTTPS), never over plain HTTP.
func TestHeaders_HSTSOnlyOverHTTPS(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustProxy = true })
	for _, tt := range []struct {
		proto string
		want  bool
	}{{"", false}, {"http", false}, {"https", true}} {
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+"/nowhere", nil)
		if tt.proto != "" {
			req.Header.Set("X-Forwarded-Proto", tt.proto)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		got := resp.Header.Get("Strict-Transport-Security")
		if (got != "") != tt.want || (tt.want && !strings.HasPrefix(got, "max-age=")) {
			t.Errorf("X-Forwarded-Proto %q: Strict-Transport-Security %q", tt.proto, got)
		}
	}
}
