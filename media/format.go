package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// Formats Pinhole decodes. Everything else is refused with an
// [UnsupportedFormatError].
const (
	FormatJPEG = "JPEG"
	FormatPNG  = "PNG"
	FormatGIF  = "GIF"
	FormatWebP = "WebP"
	FormatTIFF = "TIFF"
	FormatBMP  = "BMP"
)

// UnsupportedFormatError reports a file that is not in a format Pinhole
// imports. Its message says what the file is and what to do, for example
// "unsupported format: HEIC — export as JPEG".
type UnsupportedFormatError struct {
	Format string // what the bytes look like: "HEIC", "AVIF", "PDF", "unknown"…
}

func (e *UnsupportedFormatError) Error() string {
	if e.Format == "unknown" {
		return "unsupported format: not a recognised image file — export as JPEG"
	}
	return fmt.Sprintf("unsupported format: %s — export as JPEG", e.Format)
}

// ErrUnsupportedFormat matches every [UnsupportedFormatError] with errors.Is.
var ErrUnsupportedFormat = errors.New("unsupported format")

func (e *UnsupportedFormatError) Is(target error) bool { return target == ErrUnsupportedFormat }

// sniffLen is how many leading bytes [sniff] needs.
const sniffLen = 64

// sniff names the format of a file from its first bytes, never its name.
// It returns one of the Format constants, or an *UnsupportedFormatError.
func sniff(b []byte) (string, error) {
	has := func(off int, s string) bool {
		return len(b) >= off+len(s) && string(b[off:off+len(s)]) == s
	}
	switch {
	case has(0, "\xff\xd8\xff"):
		return FormatJPEG, nil
	case has(0, "\x89PNG\r\n\x1a\n"):
		return FormatPNG, nil
	case has(0, "GIF87a"), has(0, "GIF89a"):
		return FormatGIF, nil
	case has(0, "RIFF") && has(8, "WEBP") && has(12, "VP8X") && len(b) > 20 && b[20]&0x02 != 0:
		return "", &UnsupportedFormatError{"animated WebP"}
	case has(0, "RIFF") && has(8, "WEBP"):
		return FormatWebP, nil
	case has(0, "II*\x00") && has(8, "CR"):
		return "", &UnsupportedFormatError{"Canon raw (CR2)"}
	case has(0, "II*\x00"), has(0, "MM\x00*"):
		return FormatTIFF, nil
	case has(0, "II+\x00"), has(0, "MM\x00+"):
		return "", &UnsupportedFormatError{"BigTIFF"}
	case has(0, "BM") && len(b) >= 18 && binary.LittleEndian.Uint32(b[14:]) >= 12:
		return FormatBMP, nil
	case has(4, "ftyp"):
		return "", &UnsupportedFormatError{isoBrand(b)}
	case has(0, "\xff\x0a"), has(0, "\x00\x00\x00\x0cJXL \r\n\x87\n"):
		return "", &UnsupportedFormatError{"JPEG XL"}
	case has(0, "\x00\x00\x00\x0cjP  \r\n\x87\n"), has(0, "\xff\x4f\xff\x51"):
		return "", &UnsupportedFormatError{"JPEG 2000"}
	case has(0, "8BPS"):
		return "", &UnsupportedFormatError{"Photoshop (PSD)"}
	case has(0, "%PDF"):
		return "", &UnsupportedFormatError{"PDF"}
	case has(0, "FUJIFILMCCD-RAW"):
		return "", &UnsupportedFormatError{"Fujifilm raw (RAF)"}
	case has(0, "IIRO"), has(0, "IIU\x00"), has(0, "FOVb"):
		return "", &UnsupportedFormatError{"camera raw"}
	case has(0, "\x00\x00\x01\x00"):
		return "", &UnsupportedFormatError{"ICO"}
	case bytes.Contains(b[:min(len(b), sniffLen)], []byte("<svg")), has(0, "<?xml"):
		return "", &UnsupportedFormatError{"SVG"}
	}
	return "", &UnsupportedFormatError{"unknown"}
}

// isoBrand names an ISO base media file (HEIC, AVIF, MP4, …) from its ftyp
// box: the major brand, then the compatible brands.
func isoBrand(b []byte) string {
	size := int(binary.BigEndian.Uint32(b))
	if size < 16 || size > len(b) {
		size = len(b)
	}
	var brands []string
	for off := 8; off+4 <= size; off += 4 {
		if off == 12 {
			continue // minor version
		}
		brands = append(brands, string(b[off:off+4]))
	}
	for _, br := range brands {
		switch br {
		case "avif", "avis":
			return "AVIF"
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "hevm", "hevs":
			return "HEIC"
		}
	}
	for _, br := range brands {
		switch br {
		case "mif1", "msf1", "miaf":
			return "HEIF"
		case "crx ":
			return "Canon raw (CR3)"
		case "qt  ":
			return "QuickTime video"
		case "isom", "iso2", "mp41", "mp42", "avc1", "M4V ", "3gp4", "3gp5":
			return "MP4 video"
		}
	}
	return "ISO media (unknown brand)"
}
