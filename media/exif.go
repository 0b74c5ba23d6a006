package media

import (
	"encoding/binary"
	"strings"
	"time"
)

// exifInfo is what Pinhole reads from EXIF. The zero value means "nothing
// known": orientation 0 is treated as 1 (upright).
type exifInfo struct {
	Orientation int
	Make, Model string
	TakenAt     time.Time
	HasTime     bool
}

// EXIF tags read.
const (
	tagMake             = 0x010f
	tagModel            = 0x0110
	tagOrientation      = 0x0112
	tagDateTime         = 0x0132
	tagExifIFD          = 0x8769
	tagDateTimeOriginal = 0x9003
	tagDateTimeDigit    = 0x9004
	tagOffsetTime       = 0x9010
	tagOffsetTimeOrig   = 0x9011
	tagSubSecTimeOrig   = 0x9291
)

// maxIFDEntries bounds the entries read from one IFD; real files have a few
// dozen.
const maxIFDEntries = 1000

// parseExif reads a TIFF-structured EXIF blob (the APP1 payload after
// "Exif\0\0", or a TIFF file's head). It never panics and never fails:
// whatever cannot be read is left zero, because broken EXIF must never cost a
// photo.
func parseExif(b []byte) (info exifInfo) {
	if len(b) < 8 {
		return info
	}
	var bo binary.ByteOrder
	switch string(b[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return info
	}
	ifd0 := readIFD(b, bo, bo.Uint32(b[4:]))
	if v, ok := ifd0[tagOrientation]; ok {
		if o := v.uint(b, bo); o >= 1 && o <= 8 {
			info.Orientation = int(o)
		}
	}
	info.Make = cleanString(ifd0[tagMake].ascii(b, bo))
	info.Model = cleanString(ifd0[tagModel].ascii(b, bo))

	var exif map[uint16]ifdEntry
	if v, ok := ifd0[tagExifIFD]; ok {
		if off := v.uint(b, bo); off > 0 && off < uint32(len(b)) {
			exif = readIFD(b, bo, off)
		}
	}
	for _, tags := range [][3]uint16{
		{tagDateTimeOriginal, tagOffsetTimeOrig, tagSubSecTimeOrig},
		{tagDateTimeDigit, 0, 0},
	} {
		e, ok := exif[tags[0]]
		if !ok {
			continue
		}
		off := ""
		if tags[1] != 0 {
			off = exif[tags[1]].ascii(b, bo)
		}
		if t, ok := parseExifTime(e.ascii(b, bo), off); ok {
			info.TakenAt, info.HasTime = t, true
			break
		}
	}
	if !info.HasTime {
		if e, ok := ifd0[tagDateTime]; ok {
			if t, ok := parseExifTime(e.ascii(b, bo), exif[tagOffsetTime].ascii(b, bo)); ok {
				info.TakenAt, info.HasTime = t, true
			}
		}
	}
	return info
}

type ifdEntry struct {
	typ   uint16
	count uint32
	value [4]byte // the value itself, or its offset
	ok    bool
}

// readIFD reads one IFD's entries at off, bounded and without following
// chains.
func readIFD(b []byte, bo binary.ByteOrder, off uint32) map[uint16]ifdEntry {
	if uint64(off)+2 > uint64(len(b)) {
		return nil
	}
	n := int(bo.Uint16(b[off:]))
	if n > maxIFDEntries {
		n = maxIFDEntries
	}
	m := make(map[uint16]ifdEntry, n)
	p := int(off) + 2
	for i := 0; i < n && p+12 <= len(b); i, p = i+1, p+12 {
		tag := bo.Uint16(b[p:])
		e := ifdEntry{typ: bo.Uint16(b[p+2:]), count: bo.Uint32(b[p+4:]), ok: true}
		copy(e.value[:], b[p+8:p+12])
		if _, dup := m[tag]; !dup {
			m[tag] = e
		}
	}
	return m
}

// uint reads a SHORT or LONG value.
func (e ifdEntry) uint(b []byte, bo binary.ByteOrder) uint32 {
	if !e.ok || e.count < 1 {
		return 0
	}
	switch e.typ {
	case 3: // SHORT
		return uint32(bo.Uint16(e.value[:]))
	case 4, 13: // LONG, IFD
		return bo.Uint32(e.value[:])
	}
	return 0
}

// ascii reads an ASCII (or UNDEFINED, as some cameras write) value, bounded
// to 256 bytes.
func (e ifdEntry) ascii(b []byte, bo binary.ByteOrder) string {
	if !e.ok || (e.typ != 2 && e.typ != 7) || e.count == 0 {
		return ""
	}
	n := e.count
	if n > 256 {
		n = 256
	}
	var s []byte
	if e.count <= 4 {
		s = e.value[:n]
	} else {
		off := uint64(bo.Uint32(e.value[:]))
		if off+uint64(n) > uint64(len(b)) {
			return ""
		}
		s = b[off : off+uint64(n)]
	}
	if i := strings.IndexByte(string(s), 0); i >= 0 {
		s = s[:i]
	}
	return string(s)
}

// cleanString trims padding and drops anything that is not printable UTF-8.
func cleanString(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == 0xfffd {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, ""))
	return strings.TrimSpace(s)
}

// parseExifTime parses "2006:01:02 15:04:05" with an optional offset
// "+01:00". Without an offset the camera's wall-clock time is returned in
// UTC: the zone is unknown.
func parseExifTime(s, offset string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 19 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006:01:02 15:04:05", s[:19])
	if err != nil {
		// Some cameras write dashes in the date.
		t, err = time.Parse("2006-01-02 15:04:05", s[:19])
		if err != nil {
			return time.Time{}, false
		}
	}
	if t.Year() < 1900 {
		return time.Time{}, false
	}
	offset = strings.TrimSpace(offset)
	if len(offset) == 6 && (offset[0] == '+' || offset[0] == '-') && offset[3] == ':' {
		if z, err := time.Parse("-07:00", offset); err == nil {
			_, secs := z.Zone()
			t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, time.FixedZone("", secs))
		}
	}
	return t, true
}

// cameraName joins make and model, without repeating the make when the model
// already starts with it ("Canon" + "Canon EOS 40D" → "Canon EOS 40D").
func cameraName(mk, model string) string {
	switch {
	case mk == "":
		return model
	case model == "":
		return mk
	case strings.HasPrefix(strings.ToLower(model), strings.ToLower(strings.Fields(mk)[0])):
		return model
	}
	return mk + " " + model
}

// isCameraRaw reports whether a TIFF-structured file is a camera raw file
// (DNG, NEF, ARW, …) rather than a plain TIFF: its first image is then only
// a small preview, so decoding it as a TIFF would import the wrong picture.
func isCameraRaw(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	ifd0 := readIFD(b, bo, bo.Uint32(b[4:]))
	if _, dng := ifd0[0xc612]; dng { // DNGVersion
		return true
	}
	return ifd0[0x00fe].uint(b, bo)&1 == 1 // NewSubfileType: reduced-resolution
}

// tiffICC returns the ICC profile of a TIFF file's first image (tag
// InterColorProfile), if it lies within b.
func tiffICC(b []byte) []byte {
	if len(b) < 8 || (string(b[:4]) != "II*\x00" && string(b[:4]) != "MM\x00*") {
		return nil
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if b[0] == 'M' {
		bo = binary.BigEndian
	}
	e, ok := readIFD(b, bo, bo.Uint32(b[4:]))[0x8773]
	if !ok || (e.typ != 7 && e.typ != 1) || e.count <= 4 || e.count > maxICCBytes {
		return nil
	}
	off := uint64(bo.Uint32(e.value[:]))
	if off+uint64(e.count) > uint64(len(b)) {
		return nil
	}
	return b[off : off+uint64(e.count)]
}
