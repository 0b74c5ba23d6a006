package media

import (
	"context"
	"os"
	"testing"
)

// BenchmarkAdd imports a camera JPEG into a fresh library each time: hash,
// store, decode, preview and thumbnail.
func BenchmarkAdd(b *testing.B) {
	src := "../testdata/photos/DSCN0010.jpg"
	if p := os.Getenv("PINHOLE_BENCH_JPEG"); p != "" {
		src = p
	}
	fi, err := os.Stat(src)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		l, err := Open(b.TempDir())
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := l.Add(ctx, src, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
