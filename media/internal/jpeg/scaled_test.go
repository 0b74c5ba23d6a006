// Copyright 2026 The Pinhole Authors. Use of this source code is governed by
// the BSD-style license in the LICENSE file beside it.

package jpeg

import (
	"bytes"
	"fmt"
	"image"
	stdjpeg "image/jpeg"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// TestDecodeScaled checks each reduced decode against the full decode
// averaged over the same pixels.
func TestDecodeScaled(t *testing.T) {
	files := []string{
		"../../../testdata/photos/DSCN0010.jpg",
		"../../../testdata/photos/video-001.progressive.jpeg",
		"../../../testdata/photos/video-005.gray.jpeg",
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Skip(err)
		}
		full, err := stdjpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for shift := 0; shift <= 3; shift++ {
			m, err := DecodeScaled(bytes.NewReader(data), shift)
			if err != nil {
				t.Fatalf("%s shift %d: %v", name, shift, err)
			}
			fb := full.Bounds()
			want := image.Rect(0, 0, (fb.Dx()+1<<shift-1)>>shift, (fb.Dy()+1<<shift-1)>>shift)
			if m.Bounds() != want {
				t.Fatalf("%s shift %d: bounds %v, want %v", name, shift, m.Bounds(), want)
			}
			// Mean absolute difference of luma against a box-average of the full image.
			var sum, n float64
			s := 1 << shift
			for y := 0; y+s <= fb.Dy(); y += s {
				for x := 0; x+s <= fb.Dx(); x += s {
					var acc float64
					for yy := 0; yy < s; yy++ {
						for xx := 0; xx < s; xx++ {
							r, _, _, _ := full.At(x+xx, y+yy).RGBA()
							acc += float64(r >> 8)
						}
					}
					r, _, _, _ := m.At(x/s, y/s).RGBA()
					d := acc/float64(s*s) - float64(r>>8)
					if d < 0 {
						d = -d
					}
					sum += d
					n++
				}
			}
			if mad := sum / n; mad > 6 {
				t.Errorf("%s shift %d: mean abs difference %.2f", name, shift, mad)
			} else {
				t.Logf("%s shift %d: mean abs difference %.2f", name, shift, mad)
			}
		}
	}
}

// reducedRef is the n×n reduced IDCT by its definition, in floating point:
// the 8-point IDCT of the top-left n×n dequantized coefficients evaluated
// at the centres of an n×n grid, that is the n-point IDCT with the 8-point
// normalisation, level-shifted and clipped but not rounded. tol is how far
// idctReduced may be from it: half a step for its rounding, plus what its
// 13-bit constants can add. Each constant is within 2^-14 of its cosine, so
// a product of two is within 2^-13 + 2^-28 of theirs, and the 2-D ¼ makes
// that at most (2^-15 + 2^-30) for each unit of a coefficient; 2^-29 covers
// both that and the float arithmetic here.
func reducedRef(b, qt *block, n int) (ref [blockSize]float64, tol float64) {
	var f [blockSize]float64
	var sumAbs float64
	for v := range n {
		for u := range n {
			f[v*8+u] = float64(b[v*8+u]) * float64(qt[zigOf[v*8+u]])
			sumAbs += math.Abs(f[v*8+u])
		}
	}
	c := func(u int) float64 {
		if u == 0 {
			return math.Sqrt2 / 2
		}
		return 1
	}
	for y := range n {
		for x := range n {
			var s float64
			for v := range n {
				for u := range n {
					s += c(u) * c(v) * f[v*8+u] *
						math.Cos(float64((2*x+1)*u)*math.Pi/float64(2*n)) *
						math.Cos(float64((2*y+1)*v)*math.Pi/float64(2*n))
				}
			}
			ref[y*8+x] = min(255, max(0, s/4+128))
		}
	}
	return ref, 0.5 + sumAbs*(0x1p-15+0x1p-29)
}

// checkReduced compares the n×n block at dst (rows stride apart) with
// reducedRef of b and qt.
func checkReduced(b, qt *block, n int, dst []byte, stride int) error {
	ref, tol := reducedRef(b, qt, n)
	for y := range n {
		for x := range n {
			if got, want := float64(dst[y*stride+x]), ref[y*8+x]; math.Abs(got-want) > tol {
				return fmt.Errorf("%d×%d pixel (%d, %d) is %v, the reduced IDCT gives %.2f (tolerance %.2f)", n, n, x, y, got, want, tol)
			}
		}
	}
	return nil
}

// TestIDCTReduced checks the hand-unrolled reduced IDCTs against their
// definition on random blocks: photo-like ones, and ones as large as a
// fuzzed or hostile file can make (16-bit coefficients and quantization
// tables), which saturate.
func TestIDCTReduced(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		name         string
		coeff, quant int32 // bounds of the coefficients' magnitude and of the table
	}{
		{"photo", 64, 16},
		{"strong", 1024, 64},
		{"8-bit table", math.MaxInt16, 255},
		{"16-bit table", math.MaxInt16, math.MaxUint16},
	} {
		for _, n := range []int{4, 2, 1} {
			for i := range 5000 {
				var b, qt block
				for j := range b {
					b[j] = rng.Int32N(2*tc.coeff+1) - tc.coeff
					qt[j] = 1 + rng.Int32N(tc.quant)
				}
				if i%4 == 0 { // one coefficient alone, the others zero
					k := rng.IntN(n * n)
					k = k/n*8 + k%n
					for j := range b {
						if j != k {
							b[j] = 0
						}
					}
				}
				const stride = 11
				dst := make([]byte, 3*stride+4+1)
				for j := range dst {
					dst[j] = 0xa5
				}
				idctReduced(&b, &qt, n, dst, stride)
				if err := checkReduced(&b, &qt, n, dst, stride); err != nil {
					t.Fatalf("%s, block %d: %v\ncoefficients %v\ntable %v", tc.name, i, err, b, qt)
				}
				for j, v := range dst {
					if (j%stride >= n || j/stride >= n) && v != 0xa5 {
						t.Fatalf("%s, %d×%d: wrote outside the block, at offset %d", tc.name, n, n, j)
					}
				}
			}
		}
	}
}
