// Command photos writes N distinct camera-sized JPEGs (landscape, portrait
// and square, smooth gradients with grain, so that they compress like
// photos) into a folder, for benchmarks that import a real gallery.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
)

func main() {
	dir := flag.String("dir", "", "folder to write into")
	n := flag.Int("n", 240, "photos")
	long := flag.Int("long", 2400, "long side in pixels")
	flag.Parse()
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		log.Fatal(err)
	}
	shapes := [][2]int{{3, 2}, {3, 2}, {2, 3}, {4, 3}, {3, 2}, {1, 1}, {2, 3}, {16, 9}}
	for i := range *n {
		s := shapes[i%len(shapes)]
		w, h := *long, *long*s[1]/s[0]
		if s[1] > s[0] {
			w, h = *long*s[0]/s[1], *long
		}
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		a, b := rng.IntN(256), rng.IntN(256)
		for y := range h {
			for x := range w {
				m.Y[y*m.YStride+x] = uint8(a + (x*160/w + y*60/h) + rng.IntN(12))
			}
		}
		for y := range (h + 1) / 2 {
			for x := range (w + 1) / 2 {
				m.Cb[y*m.CStride+x] = uint8(b + x*40/w)
				m.Cr[y*m.CStride+x] = uint8(255 - b + y*40/h)
			}
		}
		f, err := os.Create(filepath.Join(*dir, fmt.Sprintf("IMG_%04d.jpg", i+1)))
		if err != nil {
			log.Fatal(err)
		}
		if err := jpeg.Encode(f, m, &jpeg.Options{Quality: 88}); err != nil {
			log.Fatal(err)
		}
		if err := f.Close(); err != nil {
			log.Fatal(err)
		}
	}
}
