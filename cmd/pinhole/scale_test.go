package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"pinhole/db"
)

// scaleFolder is a data folder with a gallery of n photo rows and n×10
// events, written in one transaction each.
func scaleFolder(b *testing.B, n int) (string, db.Gallery) {
	dir := b.TempDir()
	ctx := context.Background()
	s, err := db.Open(ctx, filepath.Join(dir, "pinhole.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	g, err := s.CreateGallery(ctx, db.GalleryInput{Title: new("Scale")})
	if err != nil {
		b.Fatal(err)
	}
	rows := make([]db.Photo, n)
	for i := range rows {
		rows[i] = db.Photo{GalleryID: g.ID, Filename: fmt.Sprintf("IMG_%05d.JPG", i), SHA256: fmt.Sprintf("%064x", i+1), Bytes: 1, Width: 6000, Height: 4000}
	}
	if _, err := s.AddPhotos(ctx, rows); err != nil {
		b.Fatal(err)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "pinhole.db")+"?_pragma=busy_timeout(10000)")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	tx, err := raw.Begin()
	if err != nil {
		b.Fatal(err)
	}
	at := time.Now().Add(-time.Hour).Unix()
	for i := range n * 10 {
		if _, err := tx.Exec("INSERT INTO events (gallery_id, kind, visitor, address, at) VALUES (?, 'view', ?, '192.0.2.1', ?)", g.ID, fmt.Sprintf("Guest %d", i%97), at); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return dir, g
}

// BenchmarkActivityJSON: `pinhole activity --json` over 1,000 and 10,000
// events (the scale benchmark's activity row); the time per event must
// not grow with the history.
func BenchmarkActivityJSON(b *testing.B) {
	for _, n := range []int{100, 1000} {
		dir, _ := scaleFolder(b, n)
		b.Run(fmt.Sprintf("events=%d", n*10), func(b *testing.B) {
			for b.Loop() {
				if code, _, errs := run(b, dir, "activity", "--json"); code != 0 {
					b.Fatal(errs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n*10), "ns/event")
		})
	}
}

// BenchmarkPhotoListJSON: `pinhole photo list --json` of 1,000 and 10,000
// photos; the time per photo must not grow with the gallery.
func BenchmarkPhotoListJSON(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		dir, g := scaleFolder(b, n)
		b.Run(fmt.Sprintf("photos=%d", n), func(b *testing.B) {
			for b.Loop() {
				if code, _, errs := run(b, dir, "photo", "list", g.Slug, "--json"); code != 0 {
					b.Fatal(errs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/photo")
		})
	}
}

// BenchmarkImport: importing small photos into a gallery that holds
// none, and one that holds 10,000 already (the scale benchmark's import
// row: photos per second at the start and at the end).
func BenchmarkImport(b *testing.B) {
	src, err := os.ReadFile("../../testdata/photos/golang_image/testdata/go-turns-two-280x360.jpeg")
	if err != nil {
		b.Fatal(err)
	}
	const batch = 10
	for _, held := range []int{0, 10000} {
		dir, g := scaleFolder(b, held)
		b.Run(fmt.Sprintf("held=%d", held), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				in := b.TempDir()
				for j := range batch {
					// A JPEG comment makes each file different bytes, the same picture.
					c := fmt.Appendf(nil, "bench %d %d", i, j)
					seg := append([]byte{0xFF, 0xFE, 0, byte(len(c) + 2)}, c...)
					file := append(append(append([]byte{}, src[:2]...), seg...), src[2:]...)
					if err := os.WriteFile(filepath.Join(in, fmt.Sprintf("IMG_%d_%d.jpg", i, j)), file, 0o644); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				if code, _, errs := run(b, dir, "import", g.Slug, in); code != 0 {
					b.Fatal(errs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/photo")
		})
	}
}
