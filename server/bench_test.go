package server

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
	g := f.gallery("Bench", db.GalleryInput{Access: ptr(db.PINAccess), PIN: ptr("123456")})
	f.fakePhotos(g, n, 32<<10)
	tok := f.session(db.Session{GalleryID: g.ID, PINVersion: g.PINVersion})
	return f, g, &http.Cookie{Name: galleryCookie(g.ID), Value: tok}
}

// BenchmarkGalleryPage: the page of a 1,000-photo gallery, in process,
// plain and gzipped (as browsers ask for it).
func BenchmarkGalleryPage(b *testing.B) {
	f, g, c := benchGallery(b, 1000)
	for _, ae := range []string{"", "gzip"} {
		b.Run("encoding="+ae, func(b *testing.B) {
			var size atomic.Int64
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := httptest.NewRequest("GET", "/g/"+g.Slug, nil)
					r.AddCookie(c)
					if ae != "" {
						r.Header.Set("Accept-Encoding", ae)
					}
					w := httptest.NewRecorder()
					f.h.ServeHTTP(w, r)
					if w.Code != 200 || w.Header().Get("Content-Encoding") != ae {
						b.Fatal(w.Code, w.Header())
					}
					size.Store(int64(w.Body.Len()))
				}
			})
			b.ReportMetric(float64(size.Load()), "page-bytes")
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
