package media

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	stdjpeg "image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"

	"pinhole/media/internal/jpeg"
)

// decodeConfig reads only the header of an image in the given format.
func decodeConfig(format string, r io.Reader) (cfg image.Config, err error) {
	defer recoverDecoder(&err)
	switch format {
	case FormatJPEG:
		return jpeg.DecodeConfig(r)
	case FormatPNG:
		return png.DecodeConfig(r)
	case FormatGIF:
		return gif.DecodeConfig(r)
	case FormatWebP:
		return webp.DecodeConfig(r)
	case FormatTIFF:
		return tiff.DecodeConfig(r)
	case FormatBMP:
		return bmp.DecodeConfig(r)
	}
	return cfg, &UnsupportedFormatError{format}
}

// decode decodes an image, a JPEG at the largest DCT reduction that still
// leaves its long side at least target pixels. A GIF yields its first frame.
func decode(format string, r io.Reader, cfg image.Config, target int) (m image.Image, err error) {
	defer recoverDecoder(&err)
	switch format {
	case FormatJPEG:
		long, shift := max(cfg.Width, cfg.Height), 0
		for shift < 3 && (long+1<<(shift+1)-1)>>(shift+1) >= target {
			shift++
		}
		return jpeg.DecodeScaled(r, shift)
	case FormatPNG:
		return png.Decode(r)
	case FormatGIF:
		return gif.Decode(r)
	case FormatWebP:
		return webp.Decode(r)
	case FormatTIFF:
		return tiff.Decode(r)
	case FormatBMP:
		return bmp.Decode(r)
	}
	return nil, &UnsupportedFormatError{format}
}

// recoverDecoder turns a decoder panic into an error: a hostile file must
// cost one photo, never the import.
func recoverDecoder(err *error) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("decoder failed: %v", p)
	}
}

// raster is a decoded picture as 8-bit planes: luma and 4:2:0 chroma, or
// luma alone for grey pictures.
type raster struct {
	y, cb, cr plane
	gray      bool
}

// toRaster converts a decoded image to planes. YCbCr and grey images (what
// JPEG decoding gives) are used as they are; anything else is converted, with
// transparency flattened onto white.
func toRaster(m image.Image) raster {
	b := m.Bounds()
	w, h := b.Dx(), b.Dy()
	switch m := m.(type) {
	case *image.YCbCr:
		cw, ch := w, h
		switch m.SubsampleRatio {
		case image.YCbCrSubsampleRatio422:
			cw = (w + 1) / 2
		case image.YCbCrSubsampleRatio420:
			cw, ch = (w+1)/2, (h+1)/2
		case image.YCbCrSubsampleRatio440:
			ch = (h + 1) / 2
		case image.YCbCrSubsampleRatio411:
			cw = (w + 3) / 4
		case image.YCbCrSubsampleRatio410:
			cw, ch = (w+3)/4, (h+1)/2
		}
		yo, co := m.YOffset(b.Min.X, b.Min.Y), m.COffset(b.Min.X, b.Min.Y)
		return raster{
			y:  plane{m.Y[yo:], w, h, m.YStride},
			cb: plane{m.Cb[co:], cw, ch, m.CStride},
			cr: plane{m.Cr[co:], cw, ch, m.CStride},
		}
	case *image.Gray:
		return raster{y: plane{m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], w, h, m.Stride}, gray: true}
	}
	gray := false
	switch m.ColorModel() {
	case color.GrayModel, color.Gray16Model:
		gray = true
	}
	r := raster{y: newPlane(w, h), gray: gray}
	if !gray {
		r.cb, r.cr = newPlane(w, h), newPlane(w, h)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			var r8, g8, b8 uint8
			switch m := m.(type) {
			case *image.CMYK:
				i := m.PixOffset(b.Min.X+x, b.Min.Y+y)
				r8, g8, b8 = color.CMYKToRGB(m.Pix[i], m.Pix[i+1], m.Pix[i+2], m.Pix[i+3])
			default:
				// Premultiplied colour over white: c + (1-α)·white.
				cr, cg, cb, ca := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
				r8 = uint8((cr + 0xffff - ca) >> 8)
				g8 = uint8((cg + 0xffff - ca) >> 8)
				b8 = uint8((cb + 0xffff - ca) >> 8)
			}
			i := y*w + x
			if gray {
				r.y.pix[i] = r8
				continue
			}
			r.y.pix[i], r.cb.pix[i], r.cr.pix[i] = color.RGBToYCbCr(r8, g8, b8)
		}
	}
	return r
}

func newPlane(w, h int) plane { return plane{make([]byte, w*h), w, h, w} }

// fitLong returns w×h scaled so that the long side is at most size, never
// enlarged, and at least 1×1.
func fitLong(w, h, size int) (int, int) {
	long := max(w, h)
	if long <= size {
		return w, h
	}
	return max(1, (w*size+long/2)/long), max(1, (h*size+long/2)/long)
}

// resized returns r resampled to w×h (luma size) with 4:2:0 chroma.
func (r raster) resized(w, h int) raster {
	out := raster{gray: r.gray}
	if r.y.w == w && r.y.h == h {
		out.y = r.y
	} else {
		out.y = resizePlane(r.y, w, h)
	}
	if !r.gray {
		cw, ch := (w+1)/2, (h+1)/2
		if r.cb.w == cw && r.cb.h == ch {
			out.cb, out.cr = r.cb, r.cr
		} else {
			out.cb, out.cr = resizePlane(r.cb, cw, ch), resizePlane(r.cr, cw, ch)
		}
	}
	return out
}

// oriented applies EXIF orientation o.
func (r raster) oriented(o int) raster {
	out := raster{gray: r.gray, y: orientPlane(r.y, o)}
	if !r.gray {
		out.cb, out.cr = orientPlane(r.cb, o), orientPlane(r.cr, o)
	}
	return out
}

func (r raster) image() image.Image {
	rect := image.Rect(0, 0, r.y.w, r.y.h)
	if r.gray {
		return &image.Gray{Pix: r.y.pix, Stride: r.y.stride, Rect: rect}
	}
	// Cb and Cr come from the same code path, so they share a stride
	// unless one was passed through; copy to be safe.
	cb, cr := r.cb, r.cr
	if cb.stride != cr.stride {
		cb, cr = compact(cb), compact(cr)
	}
	return &image.YCbCr{
		Y: r.y.pix, Cb: cb.pix, Cr: cr.pix,
		YStride: r.y.stride, CStride: cb.stride,
		SubsampleRatio: image.YCbCrSubsampleRatio420,
		Rect:           rect,
	}
}

func compact(p plane) plane {
	q := newPlane(p.w, p.h)
	for y := 0; y < p.h; y++ {
		copy(q.pix[y*p.w:], p.pix[y*p.stride:y*p.stride+p.w])
	}
	return q
}

// encodeJPEG encodes r as a JPEG, carrying icc as APP2 ICC_PROFILE segments
// when its colour space matches the output. Nothing else is written: no
// EXIF, no GPS, no comments.
func encodeJPEG(r raster, quality int, icc []byte) ([]byte, error) {
	var buf bytes.Buffer
	if err := stdjpeg.Encode(&buf, r.image(), &stdjpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	want := "RGB "
	if r.gray {
		want = "GRAY"
	}
	if len(icc) == 0 || iccColorSpace(icc) != want {
		return buf.Bytes(), nil
	}
	enc := buf.Bytes()
	const chunk = 65519 // 65535 - 2 (length) - 12 ("ICC_PROFILE\0") - 2 (seq, count)
	n := (len(icc) + chunk - 1) / chunk
	if n > 255 {
		return enc, nil
	}
	out := make([]byte, 0, len(enc)+len(icc)+n*18)
	out = append(out, enc[:2]...) // SOI
	for i := 0; i < n; i++ {
		part := icc[i*chunk : min(len(icc), (i+1)*chunk)]
		out = append(out, 0xff, 0xe2)
		out = binary.BigEndian.AppendUint16(out, uint16(2+12+2+len(part)))
		out = append(out, "ICC_PROFILE\x00"...)
		out = append(out, byte(i+1), byte(n))
		out = append(out, part...)
	}
	return append(out, enc[2:]...), nil
}

// chain lists the renditions to compute so that need can be made from a
// picture that is rendition from ("" for the original): each needed one and
// the ones it is resized from, up to from; largest first.
func chain(need []Rendition, from string) []Rendition {
	want := map[string]bool{}
	for _, r := range need {
		for r.Name != from && !want[r.Name] {
			want[r.Name] = true
			if r.From == "" || r.From == from {
				break
			}
			r = mustRendition(r.From)
		}
	}
	var out []Rendition
	for _, r := range renditionTable {
		if want[r.Name] {
			out = append(out, r)
		}
	}
	return out
}

// renditions makes the JPEGs of the renditions in need from a decoded
// picture: the original, turned upright by orientation, or (from not "")
// that stored rendition, already upright. Each is resized from the one its
// row names, so one decode makes them all.
func renditions(m image.Image, orientation int, icc []byte, from string, need []Rendition) (map[string][]byte, error) {
	base := toRaster(m)
	made := map[string]raster{}
	if from != "" {
		made[from] = base
	}
	wanted := map[string]bool{}
	for _, r := range need {
		wanted[r.Name] = true
	}
	out := map[string][]byte{}
	for _, r := range chain(need, from) {
		src, upright := base, false
		if s, ok := made[r.From]; ok && r.From != "" {
			src, upright = s, true
		}
		w, h := r.Fit(src.y.w, src.y.h)
		x := src.resized(w, h)
		if !upright {
			x = x.oriented(orientation)
		}
		made[r.Name] = x
		if !wanted[r.Name] {
			continue
		}
		b, err := encodeJPEG(x, r.Quality, icc)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", r.Name, err)
		}
		out[r.Name] = b
	}
	return out, nil
}
