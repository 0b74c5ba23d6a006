package web

import (
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"pinhole/db"
	"pinhole/internal/testio"
)

// TestLog_NoForgedLines (issue 16): what visitors and proxies send (the
// path, X-Forwarded-For with --trust-proxy, a typed name) reaches the log
// with every control, format and line-separator character escaped, so a
// request cannot add a line of its own to the log or reorder one.
func TestLog_NoForgedLines(t *testing.T) {
	var logs testio.Buffer
	f := newFixture(t, func(c *Config) {
		c.TrustProxy = true
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	g := f.gallery("Open", db.GalleryInput{Access: new(db.Public)})
	var forging []rune
	for r := rune(1); r <= unicode.MaxRune; r++ {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			forging = append(forging, r)
		}
	}
	poison := string(forging)
	c := f.client()
	for i := 0; i < len(forging); i += 20 {
		chunk := string(forging[i:min(i+20, len(forging))])
		// A header line cannot hold the ASCII controls but a tab; the rest goes.
		inHeader := strings.Map(func(r rune) rune {
			if r < 0x20 && r != '\t' || r == 0x7f {
				return -1
			}
			return r
		}, chunk)
		hdr := http.Header{"X-Forwarded-For": {"203.0.113.7, " + inHeader}}
		f.do(c, "GET", "/g/"+g.Slug+"/"+url.PathEscape(chunk), nil, hdr)
		f.do(c, "POST", "/g/"+g.Slug+"/pin", url.Values{"pin": {chunk}}, hdr)
	}
	out := logs.String()
	if out == "" {
		t.Fatal("nothing logged")
	}
	for _, r := range out {
		if r != '\n' && strings.ContainsRune(poison, r) {
			t.Fatalf("the log holds %U raw", r)
		}
	}
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if !strings.HasPrefix(line, "time=") {
			t.Fatalf("a line the server did not start: %q", line)
		}
	}
}
