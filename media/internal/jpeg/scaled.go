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

// idctBits is the fixed-point precision of the reduced IDCT constants.
const idctBits = 13

func init() {
	for zig, nat := range unzig {
		zigOf[nat] = zig
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
	if n == 2 {
		// 2-point IDCT: x0 = c4(F0+F1), x1 = c4(F0-F1), in both directions;
		// c4² = ½, so the 2-D result is ¼·½·(±F00 ± F01 ± F10 ± F11).
		f00 := int64(b[0]) * int64(qt[0])
		f01 := int64(b[1]) * int64(qt[zigOf[1]])
		f10 := int64(b[8]) * int64(qt[zigOf[8]])
		f11 := int64(b[9]) * int64(qt[zigOf[9]])
		a, c := f00+f01, f00-f01
		d, e := f10+f11, f10-f11
		row0, row1 := dst[:2], dst[stride:stride+2]
		row0[0] = clip((a+d+4)>>3 + 128)
		row0[1] = clip((c+e+4)>>3 + 128)
		row1[0] = clip((a-d+4)>>3 + 128)
		row1[1] = clip((c-e+4)>>3 + 128)
		return
	}
	// n == 4. The 4-point IDCT, with c4 = cos(π/4), c1 = cos(π/8) and
	// c3 = cos(3π/8):
	//	e0 = c4(F0+F2), e1 = c4(F0-F2), o0 = c1F1 + c3F3, o1 = c3F1 - c1F3
	//	x0 = e0+o0, x1 = e1+o1, x2 = e1-o1, x3 = e0-o0
	const (
		c4 = 5793 // cos(π/4)·2^13
		c1 = 7568 // cos(π/8)·2^13
		c3 = 3135 // cos(3π/8)·2^13
	)
	var tmp [16]int64
	for v := 0; v < 4; v++ {
		r := b[v*8 : v*8+4]
		q0, q1, q2, q3 := qt[zigOf[v*8]], qt[zigOf[v*8+1]], qt[zigOf[v*8+2]], qt[zigOf[v*8+3]]
		f0, f1, f2, f3 := int64(r[0])*int64(q0), int64(r[1])*int64(q1), int64(r[2])*int64(q2), int64(r[3])*int64(q3)
		e0, e1 := c4*(f0+f2), c4*(f0-f2)
		o0, o1 := c1*f1+c3*f3, c3*f1-c1*f3
		t := tmp[v*4 : v*4+4]
		t[0], t[1], t[2], t[3] = e0+o0, e1+o1, e1-o1, e0-o0
	}
	// Columns: the two passes scale by 2^26 and the 2-D IDCT by ¼.
	const shift = 2*idctBits + 2
	const round = 1 << (shift - 1)
	for i := 0; i < 4; i++ {
		f0, f1, f2, f3 := tmp[i], tmp[4+i], tmp[8+i], tmp[12+i]
		e0, e1 := c4*(f0+f2), c4*(f0-f2)
		o0, o1 := c1*f1+c3*f3, c3*f1-c1*f3
		dst[i] = clip((e0+o0+round)>>shift + 128)
		dst[stride+i] = clip((e1+o1+round)>>shift + 128)
		dst[2*stride+i] = clip((e1-o1+round)>>shift + 128)
		dst[3*stride+i] = clip((e0-o0+round)>>shift + 128)
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
