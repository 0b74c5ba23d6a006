package media

import "math"

// A plane is one 8-bit channel of an image.
type plane struct {
	pix    []byte
	w, h   int
	stride int
}

// weights describes a 1-D resampling: output i is the sum over k of
// src[start[i]+k] * w[i*taps+k], in fixed point with weightBits fraction bits.
type weights struct {
	taps  int
	start []int
	n     []int // weights used by each output, zeros at the ends trimmed
	w     []int32
}

const weightBits = 14

// catmullRom is the Catmull-Rom cubic (B=0, C=½): sharp, little ringing.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (3*x-5)*x*x/2 + 1
	case x < 2:
		return ((-x+5)*x-8)*x/2 + 2
	}
	return 0
}

// makeWeights computes the Catmull-Rom weights for resampling n source
// samples to m, widening the kernel by the reduction factor so that
// downscaling averages rather than aliases.
func makeWeights(n, m int) weights {
	scale := float64(n) / float64(m)
	support := 2 * max(scale, 1)
	taps := int(math.Ceil(support))*2 + 1
	ws := weights{taps: taps, start: make([]int, m), n: make([]int, m), w: make([]int32, m*taps)}
	f := make([]float64, taps)
	for i := 0; i < m; i++ {
		center := (float64(i)+0.5)*scale - 0.5
		start := int(math.Floor(center - support + 1))
		start = max(0, min(start, n-taps))
		var sum float64
		for k := range f {
			f[k] = 0
			if x := start + k; x >= 0 && x < n {
				f[k] = catmullRom((float64(x) - center) / max(scale, 1))
			}
			sum += f[k]
		}
		// Normalise to exactly 1<<weightBits so flat areas stay flat.
		var isum int32
		for k := range f {
			v := int32(math.Round(f[k] / sum * (1 << weightBits)))
			ws.w[i*taps+k] = v
			isum += v
		}
		ws.w[i*taps+taps/2] += 1<<weightBits - isum
		// Trim zero weights at both ends.
		lo, hi := 0, min(taps, n)
		for lo < hi-1 && ws.w[i*taps+lo] == 0 {
			lo++
		}
		for hi > lo+1 && ws.w[i*taps+hi-1] == 0 {
			hi--
		}
		copy(ws.w[i*taps:], ws.w[i*taps+lo:i*taps+hi])
		ws.start[i] = start + lo
		ws.n[i] = hi - lo
	}
	return ws
}

// resizePlane resamples src to w×h with a separable Catmull-Rom filter, in
// integer arithmetic: vertically into a src.w×h buffer (a loop over whole
// rows, which compiles to tight code), then horizontally on the fewer rows.
func resizePlane(src plane, w, h int) plane {
	hw := makeWeights(src.w, w)
	vw := makeWeights(src.h, h)
	sw := src.w
	tmp := make([]byte, sw*h)
	acc := make([]int32, sw)
	for y := 0; y < h; y++ {
		clear(acc)
		for k := 0; k < vw.n[y]; k++ {
			wk := vw.w[y*vw.taps+k]
			if wk == 0 {
				continue
			}
			off := (vw.start[y] + k) * src.stride
			row := src.pix[off:]
			row = row[:len(acc)]
			for x := range acc {
				acc[x] += int32(row[x]) * wk
			}
		}
		out := tmp[y*sw:]
		out = out[:len(acc)]
		for x, a := range acc {
			out[x] = clamp8(a)
		}
	}
	dst := plane{pix: make([]byte, w*h), w: w, h: h, stride: w}
	for y := 0; y < h; y++ {
		row := tmp[y*sw : y*sw+sw]
		out := dst.pix[y*w : y*w+w]
		for x := range out {
			ww := hw.w[x*hw.taps : x*hw.taps+hw.n[x]]
			s := row[hw.start[x]:]
			s = s[:len(ww)]
			var acc int32
			k := 0
			for ; k+4 <= len(ww); k += 4 {
				acc += int32(s[k])*ww[k] + int32(s[k+1])*ww[k+1] + int32(s[k+2])*ww[k+2] + int32(s[k+3])*ww[k+3]
			}
			for ; k < len(ww); k++ {
				acc += int32(s[k]) * ww[k]
			}
			out[x] = clamp8(acc)
		}
	}
	return dst
}

func clamp8(acc int32) byte {
	v := (acc + 1<<(weightBits-1)) >> weightBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}

// orientPlane applies EXIF orientation o (1–8) to p.
func orientPlane(p plane, o int) plane {
	if o <= 1 || o > 8 {
		return p
	}
	w, h := p.w, p.h
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	d := plane{pix: make([]byte, dw*dh), w: dw, h: dh, stride: dw}
	for y := 0; y < h; y++ {
		row := p.pix[y*p.stride : y*p.stride+w]
		for x, v := range row {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			d.pix[dy*dw+dx] = v
		}
	}
	return d
}
