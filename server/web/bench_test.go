package web

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"pinhole/db"
)

// benchGallery is a PIN gallery of n photos and a valid session cookie.
func benchGallery(b *testing.B, n int) (*fixture, db.Gallery, *http.Cookie) {
	f := newFixture(b)
	g := f.gallery("Bench", db.GalleryInput{Access: new(db.PINAccess), PIN: new("123456")})
	f.fakePhotos(g, n, 32<<10)
	tok := f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion})
	return f, g, &http.Cookie{Name: galleryCookie(g.ID), Value: tok}
}

// pageGallery is a PIN gallery of n photo rows (no files: pages open
// none) and a valid session cookie.
func pageGallery(b *testing.B, n int) (*fixture, db.Gallery, *http.Cookie) {
	f := newFixture(b)
	g := f.gallery("Bench", db.GalleryInput{Access: new(db.PINAccess), PIN: new("123456")})
	f.photoRows(g, n)
	tok := f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion})
	return f, g, &http.Cookie{Name: galleryCookie(g.ID), Value: tok}
}

// getPage serves one request in process and checks its answer.
func getPage(b *testing.B, f *fixture, path string, c *http.Cookie, ae string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", path, nil)
	r.AddCookie(c)
	if ae != "" {
		r.Header.Set("Accept-Encoding", ae)
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != 200 || w.Header().Get("Content-Encoding") != ae {
		b.Fatal(w.Code, w.Header())
	}
	return w
}

// BenchmarkGalleryPage: a gallery's (first) page, in process, plain and
// gzipped (as browsers ask for it), at growing gallery sizes: the scale
// benchmark's first row. The time must not grow with the size.
func BenchmarkGalleryPage(b *testing.B) {
	for _, n := range []int{100, 1000, 10000, 50000} {
		f, g, c := pageGallery(b, n)
		getPage(b, f, "/g/"+g.Slug, c, "") // the first view is recorded
		for _, ae := range []string{"", "gzip"} {
			b.Run(fmt.Sprintf("photos=%d/encoding=%s", n, ae), func(b *testing.B) {
				var size atomic.Int64
				cpu := cpuTime()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						size.Store(int64(getPage(b, f, "/g/"+g.Slug, c, ae).Body.Len()))
					}
				})
				b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N), "cpu-ns/op")
				b.ReportMetric(float64(size.Load()), "page-bytes")
			})
		}
	}
}

// BenchmarkGalleryEveryPage: every page of a gallery's tiles, as the
// script loads them while the visitor scrolls; the cost per photo must
// not grow with the gallery.
func BenchmarkGalleryEveryPage(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		f, g, c := pageGallery(b, n)
		getPage(b, f, "/g/"+g.Slug, c, "")
		b.Run(fmt.Sprintf("photos=%d", n), func(b *testing.B) {
			for b.Loop() {
				for page := 1; page <= (n+gridPage-1)/gridPage; page++ {
					getPage(b, f, fmt.Sprintf("/g/%s?page=%d&part=grid", g.Slug, page), c, "")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/photo")
		})
	}
}

// BenchmarkThumbnail: thumbnails with a session cookie across 1,000 photos.
func BenchmarkThumbnail(b *testing.B) {
	f, g, c := benchGallery(b, 1000)
	photos, _ := f.store.Photos(b.Context(), g.ID)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			p := photos[i%len(photos)]
			i++
			r := httptest.NewRequest("GET", fmt.Sprintf("/g/%s/t/%d", g.Slug, p.ID), nil)
			r.AddCookie(c)
			w := httptest.NewRecorder()
			f.h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
			io.Copy(io.Discard, w.Body)
		}
	})
}

// BenchmarkZipAll: the ZIP of a whole gallery, read through; the time per
// photo must not grow with the gallery (the scale benchmark's ZIP row).
func BenchmarkZipAll(b *testing.B) {
	f, g, c := benchGallery(b, 1000)
	b.SetBytes(1000 * 32 << 10)
	for b.Loop() {
		w := getPage(b, f, "/g/"+g.Slug+"/zip", c, "")
		if w.Body.Len() < 1000*32<<10 {
			b.Fatal("short ZIP", w.Body.Len())
		}
	}
}

// BenchmarkMe: a client login's dashboard, granted 10, 100 and 1,000
// galleries; the time per gallery must not grow with them.
func BenchmarkMe(b *testing.B) {
	f := newFixture(b)
	ctx := b.Context()
	var slugs []string
	for i := range 1000 {
		g := f.gallery(fmt.Sprintf("Gallery %d", i), db.GalleryInput{Access: new(db.PINAccess), PIN: new("123456")})
		f.photoRows(g, 2)
		slugs = append(slugs, g.Slug)
	}
	for _, n := range []int{10, 100, 1000} {
		cl, err := f.store.CreateClient(ctx, db.ClientInput{Name: new(fmt.Sprintf("Client %d", n))})
		if err != nil {
			b.Fatal(err)
		}
		if err := f.store.Grant(ctx, cl.ID, slugs[:n]...); err != nil {
			b.Fatal(err)
		}
		c := &http.Cookie{Name: clientCookie, Value: f.session(db.Session{ClientID: cl.ID})}
		b.Run(fmt.Sprintf("galleries=%d", n), func(b *testing.B) {
			for b.Loop() {
				getPage(b, f, "/me", c, "")
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/gallery")
		})
	}
}
