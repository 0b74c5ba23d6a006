// Copyright 2026 The Pinhole Authors. Use of this source code is governed by
// the BSD-style license in the LICENSE file beside it.

package jpeg

import (
	"bytes"
	"image"
	"os"
	"slices"
	"testing"
)

// TestDecodeMissingEOI checks that a sequential JPEG whose scan is whole
// decodes the same without its EOI marker, as libjpeg shows it, and that a
// cut inside the pixel data, or before a progressive image's EOI, is still
// an error.
func TestDecodeMissingEOI(t *testing.T) {
	for _, tc := range []struct {
		name        string
		progressive bool
	}{
		{"../../../testdata/photos/DSCN0010.jpg", false},
		{"../../../testdata/photos/video-005.gray.jpeg", false},
		{"../../../testdata/photos/DSCN0012.cmyk.jpg", false},
		{"../../../testdata/photos/video-001.progressive.jpeg", true},
	} {
		data, err := os.ReadFile(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		eoi := bytes.LastIndex(data, []byte{0xff, eoiMarker})
		if eoi < 0 {
			t.Fatalf("%s: no EOI", tc.name)
		}
		want, err := Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, cut := range []struct {
			what string
			data []byte
		}{
			{"no EOI", data[:eoi]},
			{"a lone 0xff", data[:eoi+1]},
			{"junk", append(slices.Clip(data[:eoi]), "\x00junk"...)},
		} {
			m, err := Decode(bytes.NewReader(cut.data))
			if tc.progressive {
				if err == nil {
					t.Errorf("%s, %s: progressive image decoded", tc.name, cut.what)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s, %s: %v", tc.name, cut.what, err)
			} else if !samePixels(m, want) {
				t.Errorf("%s, %s: pixels differ from the whole file's", tc.name, cut.what)
			}
		}
		for _, n := range []int{eoi - 1, eoi / 2} {
			if _, err := Decode(bytes.NewReader(data[:n])); err == nil {
				t.Errorf("%s cut at %d of %d bytes: decoded", tc.name, n, len(data))
			}
		}
	}
}

func samePixels(a, b image.Image) bool {
	switch a := a.(type) {
	case *image.YCbCr:
		b, ok := b.(*image.YCbCr)
		return ok && a.Rect == b.Rect && bytes.Equal(a.Y, b.Y) && bytes.Equal(a.Cb, b.Cb) && bytes.Equal(a.Cr, b.Cr)
	case *image.Gray:
		b, ok := b.(*image.Gray)
		return ok && a.Rect == b.Rect && bytes.Equal(a.Pix, b.Pix)
	case *image.CMYK:
		b, ok := b.(*image.CMYK)
		return ok && a.Rect == b.Rect && bytes.Equal(a.Pix, b.Pix)
	case *image.RGBA:
		b, ok := b.(*image.RGBA)
		return ok && a.Rect == b.Rect && bytes.Equal(a.Pix, b.Pix)
	}
	return false
}
