package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pinhole/db"
)

// TestHeaders_EveryRoute: the security headers are on every response,
// errors and 404s included; pages are no-store, files immutable.
func TestHeaders_EveryRoute(t *testing.T) {
	f := newClientFixture(t)
	g := f.gallery("Public", db.GalleryInput{Access: new(db.Public)})
	p := f.addPhoto(g, testPhotos[0])
	pg := f.gallery("Locked", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
	pp := f.addPhoto(pg, testPhotos[1])
	draft := f.gallery("Draft", db.GalleryInput{Published: new(false)})
	var cssURL string
	for _, u := range f.h.static.urls {
		cssURL = u
	}
	type req struct {
		method, path string
		form         url.Values
		hdr          http.Header
		status       int
		cache        string // "" no-store
	}
	gp := "/g/" + g.Slug
	reqs := []req{
		{"GET", "/", nil, nil, 200, ""},
		{"GET", "/healthz", nil, nil, 200, ""},
		{"GET", cssURL, nil, nil, 200, "public, max-age=31536000, immutable"},
		{"GET", "/static/nope.css", nil, nil, 404, ""},
		{"GET", gp, nil, nil, 200, ""},
		{"GET", fmt.Sprintf("%s/p/%d", gp, p.ID), nil, nil, 200, ""},
		{"GET", fmt.Sprintf("%s/t/%d", gp, p.ID), nil, nil, 200, immutable},
		{"GET", fmt.Sprintf("%s/v/%d", gp, p.ID), nil, nil, 200, immutable},
		{"GET", fmt.Sprintf("%s/d/%d", gp, p.ID), nil, nil, 200, immutable},
		{"GET", gp + "/zip", nil, nil, 200, ""},
		{"GET", fmt.Sprintf("%s/t/%d", gp, 999999), nil, nil, 404, ""},
		{"GET", fmt.Sprintf("%s/t/abc", gp), nil, nil, 404, ""},
		{"GET", "/g/" + pg.Slug, nil, nil, 200, ""},
		{"GET", fmt.Sprintf("/g/%s/t/%d", pg.Slug, pp.ID), nil, nil, 403, ""},
		{"POST", "/g/" + pg.Slug + "/pin", url.Values{"pin": {"0000"}}, nil, 403, ""},
		{"POST", "/g/" + pg.Slug + "/pin", url.Values{"pin": {"1234"}}, nil, 303, ""},
		{"POST", "/g/" + pg.Slug + "/pin", url.Values{"pin": {"1234"}}, http.Header{"Origin": {"https://evil.example"}}, 403, ""},
		{"POST", "/g/" + pg.Slug + "/pin", url.Values{"pin": {"1234"}}, http.Header{"Sec-Fetch-Site": {"cross-site"}}, 403, ""},
		{"GET", "/g/" + draft.Slug, nil, nil, 404, ""},
		{"GET", "/g/no-such-gallery", nil, nil, 404, ""},
		{"GET", "/nowhere", nil, nil, 404, ""},
		{"DELETE", gp, nil, nil, 405, ""},
		{"GET", "/me", nil, nil, 303, ""},
		{"POST", "/login", url.Values{"code": {"NOPE2345"}}, nil, 403, ""},
		{"POST", "/login", url.Values{"code": {"NOPE2345"}}, http.Header{"Origin": {"https://evil.example"}}, 403, ""},
		{"POST", "/logout", url.Values{}, nil, 303, ""},
		{"GET", "/preview/nope", nil, nil, 410, ""},
		{"POST", fmt.Sprintf("%s/fav/%d", gp, p.ID), url.Values{"on": {"1"}, "name": {"Anna"}}, nil, 303, ""},
		{"GET", gp + "/favourites.zip", nil, nil, 200, ""},
	}
	for _, r := range reqs {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			resp, body := f.do(f.client(), r.method, r.path, r.form, r.hdr)
			if resp.StatusCode != r.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, r.status)
			}
			h := resp.Header
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") {
				t.Error("CSP allows inline code")
			}
			for k, v := range map[string]string{"Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff"} {
				if h.Get(k) != v {
					t.Errorf("%s: %q, want %q", k, h.Get(k), v)
				}
			}
			if strings.HasPrefix(r.path, "/g/") && h.Get("X-Robots-Tag") != "noindex, nofollow" {
				t.Errorf("X-Robots-Tag %q", h.Get("X-Robots-Tag"))
			}
			want := r.cache
			if want == "" {
				want = "no-store"
			}
			if got := h.Get("Cache-Control"); got != want {
				t.Errorf("Cache-Control %q, want %q", got, want)
			}
			if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
				if strings.Contains(string(body), "<script>") || strings.Contains(string(body), " style=") || strings.Contains(string(body), "goroutine") {
					t.Error("inline script, inline style or a stack trace in the page")
				}
			}
		})
	}
}

// TestCookies: HttpOnly, SameSite=Lax, Secure only over HTTPS (which with
// --trust-proxy X-Forwarded-Proto may say).
func TestCookies(t *testing.T) {
	for _, tc := range []struct {
		trust  bool
		proto  string
		secure bool
	}{{false, "", false}, {false, "https", false}, {true, "https", true}, {true, "http", false}} {
		f := newFixture(t, func(c *Config) { c.TrustProxy = tc.trust })
		g := f.gallery("G", db.GalleryInput{Access: new(db.PINAccess), PIN: new("1234")})
		hdr := http.Header{}
		if tc.proto != "" {
			hdr.Set("X-Forwarded-Proto", tc.proto)
		}
		resp, _ := f.do(f.client(), "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {"1234"}}, hdr)
		cs := resp.Cookies()
		if len(cs) != 1 {
			t.Fatalf("%d cookies", len(cs))
		}
		c := cs[0]
		if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.secure {
			t.Errorf("trust %v proto %q: HttpOnly %v SameSite %v Secure %v", tc.trust, tc.proto, c.HttpOnly, c.SameSite, c.Secure)
		}
	}
}
