package media

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func FuzzParseExif(f *testing.F) {
	f.Add([]byte("II*\x00\x08\x00\x00\x00\x01\x00\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00"))
	f.Add([]byte("MM\x00*\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x08\x00\x00"))
	files, _ := filepath.Glob("../testdata/photos/*.jpg")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			if m, err := readMeta(FormatJPEG, bytes.NewReader(data)); err == nil && m.exif != nil {
				f.Add(m.exif)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		info := parseExif(b)
		if info.Orientation < 0 || info.Orientation > 8 {
			t.Fatalf("orientation %d", info.Orientation)
		}
	})
}

// FuzzMeta feeds arbitrary bytes to the format sniffer, the container
// metadata readers and the header decoders: none may panic.
func FuzzMeta(f *testing.F) {
	files, _ := filepath.Glob("../testdata/photos/*")
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, format := range []string{FormatJPEG, FormatPNG, FormatWebP, FormatTIFF} {
			m, _ := readMeta(format, bytes.NewReader(b))
			parseExif(m.exif)
			iccColorSpace(m.icc)
		}
		gifFrames(bytes.NewReader(b), 10)
		tiffICC(b)
		isCameraRaw(b)
		if format, err := sniff(b); err == nil {
			decodeConfig(format, bytes.NewReader(b))
		}
	})
}
