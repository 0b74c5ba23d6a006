// Copyright 2026 The Pinhole Authors. Use of this source code is governed by
// the BSD-style license in the LICENSE file beside it.

package jpeg

import (
	"bytes"
	"image"
	stdjpeg "image/jpeg"
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
