// Copyright 2026 The Pinhole Authors. Use of this source code is governed by
// the BSD-style license in the LICENSE file beside it.

package jpeg

import (
	"bytes"
	"image"
	stdjpeg "image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzMaxPixels bounds what one fuzz input may make either decoder
// allocate (the header alone can ask for 65535×65535); the scaled target,
// which decodes four times and compares pixel by pixel, takes less.
const (
	fuzzMaxPixels       = 1 << 18
	fuzzMaxScaledPixels = 1 << 16
)

// scaledTolerance is how far, on average over the image, a reduced decode
// may be from the box-average of the standard library's full decode, per
// channel on the 0–255 scale. The reduced IDCT averages before clipping
// and rounds once, the full decode clips every pixel, so a clean photo
// lands within 6 (TestDecodeScaled); fuzzed coefficients that saturate
// whole blocks move further, while a misplaced or garbled block moves the
// mean by far more.
const scaledTolerance = 40

// fuzzSeeds adds the JPEGs of testdata/photos small enough to mutate.
func fuzzSeeds(f *testing.F) {
	for _, pat := range []string{"*.jpg", "*.jpeg"} {
		names, _ := filepath.Glob(filepath.Join("../../../testdata/photos", pat))
		for _, name := range names {
			if b, err := os.ReadFile(name); err == nil && len(b) <= 64<<10 {
				f.Add(b)
			}
		}
	}
}

// small reports whether both decoders' headers stay under limit pixels.
func small(data []byte, limit int) bool {
	if c, err := stdjpeg.DecodeConfig(bytes.NewReader(data)); err == nil && c.Width*c.Height > limit {
		return false
	}
	if c, err := DecodeConfig(bytes.NewReader(data)); err == nil && c.Width*c.Height > limit {
		return false
	}
	return true
}

// FuzzDecode: at full scale the decoder gives exactly the standard
// library's pixels, and fails where it fails, except for what it accepts on
// purpose: a sequential image whose scans are whole but whose EOI is
// missing (or follows junk), which the standard library decodes the same
// once the EOI is there; and a 4-component image without Adobe APP14
// metadata, which it reads as plain CMYK as libjpeg does (see reader.go).
func FuzzDecode(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if !small(data, fuzzMaxPixels) {
			return
		}
		want, werr := stdjpeg.Decode(bytes.NewReader(data))
		got, gerr := Decode(bytes.NewReader(data))
		switch {
		case werr != nil && gerr != nil:
			return
		case werr == nil && gerr != nil:
			t.Fatalf("the standard library decodes it, we fail: %v", gerr)
		case werr != nil && strings.Contains(werr.Error(), "4-component JPEG doesn't have Adobe APP14"):
			return
		case werr != nil:
			fixed := append(bytes.Clone(data), 0xff, eoiMarker)
			if want, werr = stdjpeg.Decode(bytes.NewReader(fixed)); werr != nil {
				t.Fatalf("we decode what the standard library refuses, even with its EOI: %v", werr)
			}
		}
		if !samePixels(got, want) {
			t.Fatalf("pixels differ from the standard library's: %T %v against %T %v", got, got.Bounds(), want, want.Bounds())
		}
	})
}

// FuzzDecodeScaled: a reduced decode succeeds wherever the full one does,
// has the size it promises, and stays within scaledTolerance of a
// box-average of the standard library's full decode.
func FuzzDecodeScaled(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if !small(data, fuzzMaxScaledPixels) {
			return
		}
		full, err := Decode(bytes.NewReader(data))
		for shift := 1; shift <= 3; shift++ {
			m, serr := DecodeScaled(bytes.NewReader(data), shift)
			if err != nil {
				continue // a reduced decode may still succeed: it reads the same scans
			}
			if serr != nil {
				t.Fatalf("shift %d fails where the full decode works: %v", shift, serr)
			}
			fb := full.Bounds()
			wantB := image.Rect(0, 0, (fb.Dx()+1<<shift-1)>>shift, (fb.Dy()+1<<shift-1)>>shift)
			if m.Bounds() != wantB {
				t.Fatalf("shift %d: bounds %v, want %v", shift, m.Bounds(), wantB)
			}
			if d := meanDiff(full, m, shift); d > scaledTolerance {
				t.Fatalf("shift %d: mean difference %.1f from a box-average, over %d", shift, d, scaledTolerance)
			}
		}
	})
}

// meanDiff is the mean absolute difference, per channel on 0–255, between
// m and the box-average of full over 2^shift squares (whole squares only).
func meanDiff(full, m image.Image, shift int) float64 {
	s := 1 << shift
	fb := full.Bounds()
	var sum, n float64
	for y := 0; y+s <= fb.Dy(); y += s {
		for x := 0; x+s <= fb.Dx(); x += s {
			var acc [3]float64
			for yy := range s {
				for xx := range s {
					r, g, b, _ := full.At(x+xx, y+yy).RGBA()
					acc[0] += float64(r >> 8)
					acc[1] += float64(g >> 8)
					acc[2] += float64(b >> 8)
				}
			}
			r, g, b, _ := m.At(x/s, y/s).RGBA()
			for i, v := range []uint32{r, g, b} {
				d := acc[i]/float64(s*s) - float64(v>>8)
				if d < 0 {
					d = -d
				}
				sum += d
				n++
			}
		}
	}
	if n == 0 {
		return 0
	}
	return sum / n
}
