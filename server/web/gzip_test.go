package web

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"pinhole/db"
)

// TestPages_Gzip: a browser that takes gzip gets the gallery page
// compressed, and it reads back as the very page others get; a client
// that does not, or refuses it with q=0, gets it plain.
func TestPages_Gzip(t *testing.T) {
	f := newFixture(t)
	g := f.gallery("Wedding", db.GalleryInput{Access: new(db.Public)})
	var first db.Photo
	for i, p := range testPhotos {
		if ph := f.addPhoto(g, p); i == 0 {
			first = ph
		}
	}
	// DisableCompression: the transport neither asks for gzip nor
	// undoes it, so the test sees the bytes as sent.
	c := &http.Client{Transport: &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	c.Jar = f.client().Jar
	page := "/g/" + g.Slug
	f.do(c, "GET", page, nil, nil) // the visitor's session, so that every answer below is alike
	resp, plain := f.do(c, "GET", page, nil, nil)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" || !bytes.Contains(plain, []byte("<html")) {
		t.Fatalf("plain: %d, %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Encoding"), len(plain))
	}
	if v := resp.Header.Get("Vary"); v != "Accept-Encoding" {
		t.Errorf("Vary %q", v)
	}
	for _, ae := range []string{"gzip", "gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.8, *;q=0.1"} {
		resp, body := f.do(c, "GET", page, nil, http.Header{"Accept-Encoding": {ae}})
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%q: Content-Encoding %q", ae, resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, plain) {
			t.Errorf("%q: the gzipped page differs from the plain one", ae)
		}
		if len(body) >= len(plain) {
			t.Errorf("%q: %d bytes gzipped, %d plain", ae, len(body), len(plain))
		}
	}
	for _, ae := range []string{"gzip;q=0", "identity", "br", "gzip; q=0.000"} {
		resp, _ := f.do(c, "GET", page, nil, http.Header{"Accept-Encoding": {ae}})
		if ce := resp.Header.Get("Content-Encoding"); ce != "" {
			t.Errorf("%q: Content-Encoding %q", ae, ce)
		}
	}
	// Photos are JPEGs already: never gzipped.
	resp, _ = f.do(c, "GET", fmt.Sprintf("/g/%s/t/%d", g.Slug, first.ID), nil, http.Header{"Accept-Encoding": {"gzip"}})
	if ce := resp.Header.Get("Content-Encoding"); ce != "" {
		t.Errorf("thumbnail: Content-Encoding %q", ce)
	}
}

// TestStatic_Gzipped: the stylesheet and the script go out gzipped to a
// browser that takes it (compressed once, at start), plain otherwise.
func TestStatic_Gzipped(t *testing.T) {
	f := newFixture(t)
	for name, u := range f.h.static.urls {
		plain := f.h.static.byHashed[strings.TrimPrefix(u, "/static/")].data
		resp, body := f.do(f.client(), "GET", u, nil, http.Header{"Accept-Encoding": {"gzip, deflate, br"}})
		if resp.Header.Get("Content-Encoding") != "gzip" || resp.Header.Get("Vary") != "Accept-Encoding" {
			t.Errorf("%s: Content-Encoding %q, Vary %q", name, resp.Header.Get("Content-Encoding"), resp.Header.Get("Vary"))
			continue
		}
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(zr)
		if err != nil || !bytes.Equal(got, plain) || len(body) >= len(plain) {
			t.Errorf("%s: gzipped %d → %d bytes, same content %v (%v)", name, len(plain), len(body), bytes.Equal(got, plain), err)
		}
		resp, body = f.do(f.client(), "GET", u, nil, http.Header{"Accept-Encoding": {"identity"}})
		if resp.Header.Get("Content-Encoding") != "" || !bytes.Equal(body, plain) {
			t.Errorf("%s: without gzip: %q, %d bytes", name, resp.Header.Get("Content-Encoding"), len(body))
		}
	}
}
