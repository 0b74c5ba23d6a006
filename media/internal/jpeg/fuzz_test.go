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
// has the size it promises, and writes for each block the reduced IDCT of
// its coefficients, computed here by definition (decodeChecked). A
// box-average of the full decode is no oracle for fuzzed files: the full
// decode clips each pixel before the average and the reduced IDCT drops
// the high frequencies a box keeps, so a file of huge coefficients lands
// as far from it as it likes (TestDecodeScaled holds photos to it).
func FuzzDecodeScaled(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		if !small(data, fuzzMaxScaledPixels) {
			return
		}
		full, err := Decode(bytes.NewReader(data))
		for shift := 1; shift <= 3; shift++ {
			m, serr := decodeChecked(t, data, shift)
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
		}
	})
}

// decodeChecked decodes data reduced by 2^shift as DecodeScaled does, and
// fails t unless every block written is, at its place in its component's
// plane, the reduced IDCT of the coefficients it was reconstructed from.
func decodeChecked(t *testing.T, data []byte, shift int) (image.Image, error) {
	type seen struct{ b, qt block }
	blocks := map[[3]int]seen{} // by component, bx, by; the last reconstruction is the one left
	d := decoder{shift: shift}
	d.seeBlock = func(b, qt *block, bx, by, comp int) {
		blocks[[3]int{comp, bx, by}] = seen{*b, *qt}
	}
	m, err := d.decode(bytes.NewReader(data), false)
	if err != nil {
		return nil, err
	}
	n := 8 >> shift
	for k, s := range blocks {
		comp, bx, by := k[0], k[1], k[2]
		pix, stride, err := d.plane(comp)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkReduced(&s.b, &s.qt, n, pix[by*n*stride+bx*n:], stride); err != nil {
			t.Fatalf("shift %d, component %d, block (%d, %d): %v", shift, comp, bx, by, err)
		}
	}
	return m, nil
}
