// Copyright 2026 The Pinhole Authors. Use of this source code is governed by
// the BSD-style license in the LICENSE file beside it.

package jpeg

import "math"

// block16 holds a block's coefficients between progressive scans. JPEG
// coefficients of 8-bit images fit in 16 bits; halving the storage matters
// because progressive decoding keeps every block of the image in memory.
type block16 [blockSize]int16

func (b *block16) load() (out block) {
	for i, v := range b {
		out[i] = int32(v)
	}
	return out
}

func (b *block16) store(in *block) {
	for i, v := range in {
		b[i] = int16(max(math.MinInt16, min(math.MaxInt16, v)))
	}
}

// zigOf maps a natural-order index to its zig-zag index (the inverse of
// unzig); quantization tables are stored in zig-zag order.
var zigOf [blockSize]int

// idctTab[n] holds, for an n-point reduced IDCT, the factors
// C(u)·cos((2i+1)uπ/2n) at index i*n+u, scaled by 1<<idctBits, with
// C(0) = 1/√2 and C(u) = 1 otherwise.
var idctTab [9][]int64

const idctBits = 13

func init() {
	for zig, nat := range unzig {
		zigOf[nat] = zig
	}
	for _, n := range []int{1, 2, 4} {
		t := make([]int64, n*n)
		for i := 0; i < n; i++ {
			for u := 0; u < n; u++ {
				c := 1.0
				if u == 0 {
					c = 1 / math.Sqrt2
				}
				t[i*n+u] = int64(math.Round(c * math.Cos(float64((2*i+1)*u)*math.Pi/float64(2*n)) * (1 << idctBits)))
			}
		}
		idctTab[n] = t
	}
}

// idctReduced dequantizes the top-left n×n coefficients of b (n = 4, 2 or 1)
// and writes the n×n block they describe, level-shifted and clipped, to dst.
// Evaluating the DCT's low frequencies at the centres of an n×n grid is the
// reduced-size IDCT of libjpeg's jidctred.c: each output pixel approximates
// the mean of the (8/n)² pixels it covers.
func idctReduced(b *block, qt *block, n int, dst []byte, stride int) {
	if n == 1 {
		// The DC term alone: the block's mean is DC/8.
		v := (int64(b[0])*int64(qt[0]) + 4) >> 3
		dst[0] = clip(v + 128)
		return
	}
	var f [16]int64 // dequantized coefficients, f[v*n+u]
	for v := 0; v < n; v++ {
		for u := 0; u < n; u++ {
			nat := v*8 + u
			f[v*n+u] = int64(b[nat]) * int64(qt[zigOf[nat]])
		}
	}
	t := idctTab[n]
	// Rows: tmp[v*n+i] = Σ_u t[i][u]·f[v][u].
	var tmp [16]int64
	for v := 0; v < n; v++ {
		for i := 0; i < n; i++ {
			var s int64
			for u := 0; u < n; u++ {
				s += t[i*n+u] * f[v*n+u]
			}
			tmp[v*n+i] = s
		}
	}
	// Columns: out[j][i] = ¼ Σ_v t[j][v]·tmp[v][i].
	const shift = 2*idctBits + 2
	for j := 0; j < n; j++ {
		row := dst[j*stride:]
		for i := 0; i < n; i++ {
			var s int64
			for v := 0; v < n; v++ {
				s += t[j*n+v] * tmp[v*n+i]
			}
			row[i] = clip((s+1<<(shift-1))>>shift + 128)
		}
	}
}

func clip(v int64) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}
