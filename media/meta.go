package media

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
)

// fileMeta is the metadata carried inside an image container.
type fileMeta struct {
	exif []byte // TIFF-structured EXIF, nil if none
	icc  []byte // ICC profile, nil if none
	// progressiveBlocks is, for a progressive JPEG, the number of 8×8
	// blocks whose coefficients the decoder keeps until the last scan.
	progressiveBlocks int64
}

// Bounds on metadata reading, so that a hostile header cannot make Pinhole
// read or allocate without limit.
const (
	maxHeaderBytes = 32 << 20 // bytes scanned before the image data
	maxICCBytes    = 16 << 20
	maxTIFFHead    = 4 << 20
)

// readMeta reads EXIF and ICC data from r, positioned at the file's start.
// Errors only mean the metadata could not be read; callers import the
// picture anyway if it decodes.
func readMeta(format string, r io.ReadSeeker) (fileMeta, error) {
	switch format {
	case FormatJPEG:
		return readJPEGMeta(bufio.NewReader(io.LimitReader(r, maxHeaderBytes)))
	case FormatPNG:
		return readPNGMeta(r)
	case FormatWebP:
		return readWebPMeta(r)
	case FormatTIFF:
		head, err := io.ReadAll(io.LimitReader(r, maxTIFFHead))
		return fileMeta{exif: head, icc: tiffICC(head)}, err
	}
	return fileMeta{}, nil
}

// readJPEGMeta walks the JPEG's marker segments up to the first scan and
// collects the first Exif APP1 and the ICC_PROFILE APP2 chunks.
func readJPEGMeta(r *bufio.Reader) (fileMeta, error) {
	var m fileMeta
	var soi [2]byte
	if _, err := io.ReadFull(r, soi[:]); err != nil {
		return m, err
	}
	icc := map[byte][]byte{}
	iccCount := 0
	iccBytes := 0
segments:
	for {
		// Find the next marker, skipping junk and fill bytes.
		c, err := r.ReadByte()
		if err != nil {
			break
		}
		if c != 0xff {
			continue
		}
		marker, err := r.ReadByte()
		for err == nil && marker == 0xff {
			marker, err = r.ReadByte()
		}
		if err != nil {
			break
		}
		if marker == 0x00 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7) {
			continue
		}
		if marker == 0xd9 || marker == 0xda { // EOI, SOS
			break
		}
		var l [2]byte
		if _, err := io.ReadFull(r, l[:]); err != nil {
			break
		}
		n := int(binary.BigEndian.Uint16(l[:])) - 2
		if n < 0 {
			break
		}
		switch marker {
		case 0xc2, 0xc6, 0xca, 0xce: // progressive SOF
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return m, err
			}
			m.progressiveBlocks = jpegBlocks(seg)
		case 0xe1, 0xe2:
			seg := make([]byte, n)
			if _, err := io.ReadFull(r, seg); err != nil {
				return m, err
			}
			if marker == 0xe1 && m.exif == nil && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
				m.exif = seg[6:]
			}
			if marker == 0xe2 && bytes.HasPrefix(seg, []byte("ICC_PROFILE\x00")) && len(seg) >= 14 && iccBytes+n <= maxICCBytes {
				seq, count := seg[12], seg[13]
				if iccCount == 0 {
					iccCount = int(count)
				}
				if int(count) == iccCount && seq >= 1 && seq <= count {
					icc[seq] = seg[14:]
					iccBytes += n
				}
			}
		default:
			if _, err := r.Discard(n); err != nil {
				break segments
			}
		}
	}
	if iccCount > 0 && len(icc) == iccCount {
		for i := 1; i <= iccCount; i++ {
			m.icc = append(m.icc, icc[byte(i)]...)
		}
	}
	return m, nil
}

// readPNGMeta reads the eXIf and iCCP chunks.
func readPNGMeta(r io.ReadSeeker) (fileMeta, error) {
	var m fileMeta
	if _, err := r.Seek(8, io.SeekStart); err != nil {
		return m, err
	}
	var h [8]byte
	for {
		if _, err := io.ReadFull(r, h[:]); err != nil {
			return m, err
		}
		n := int64(binary.BigEndian.Uint32(h[:4]))
		typ := string(h[4:])
		switch {
		case typ == "IEND":
			return m, nil
		case (typ == "eXIf" || typ == "iCCP") && n <= maxICCBytes:
			data := make([]byte, n)
			if _, err := io.ReadFull(r, data); err != nil {
				return m, err
			}
			if typ == "eXIf" && m.exif == nil {
				m.exif = data
			}
			if typ == "iCCP" && m.icc == nil {
				if i := bytes.IndexByte(data, 0); i >= 0 && i+2 <= len(data) && data[i+1] == 0 {
					if zr, err := zlib.NewReader(bytes.NewReader(data[i+2:])); err == nil {
						icc, err := io.ReadAll(io.LimitReader(zr, maxICCBytes))
						if err == nil {
							m.icc = icc
						}
					}
				}
			}
			n = 0
		}
		if _, err := r.Seek(n+4, io.SeekCurrent); err != nil { // data and CRC
			return m, err
		}
	}
}

// readWebPMeta reads the EXIF and ICCP chunks of an extended WebP.
func readWebPMeta(r io.ReadSeeker) (fileMeta, error) {
	var m fileMeta
	if _, err := r.Seek(12, io.SeekStart); err != nil {
		return m, err
	}
	var h [8]byte
	for {
		if _, err := io.ReadFull(r, h[:]); err != nil {
			if err == io.EOF {
				err = nil
			}
			return m, err
		}
		n := int64(binary.LittleEndian.Uint32(h[4:]))
		typ := string(h[:4])
		if (typ == "EXIF" || typ == "ICCP") && n <= maxICCBytes {
			data := make([]byte, n)
			if _, err := io.ReadFull(r, data); err != nil {
				return m, err
			}
			if typ == "EXIF" {
				m.exif = bytes.TrimPrefix(data, []byte("Exif\x00\x00"))
			} else {
				m.icc = data
			}
			n = 0
		}
		if _, err := r.Seek(n+n&1, io.SeekCurrent); err != nil {
			return m, err
		}
	}
}

// iccColorSpace returns the data colour space of an ICC profile ("RGB ",
// "GRAY", "CMYK"…), or "" if the profile is malformed.
func iccColorSpace(icc []byte) string {
	if len(icc) < 128 || int(binary.BigEndian.Uint32(icc)) > len(icc) || string(icc[36:40]) != "acsp" {
		return ""
	}
	return string(icc[16:20])
}

// jpegBlocks counts the 8×8 blocks a JPEG frame codes, from its SOF segment
// payload: for each component, its share of every MCU.
func jpegBlocks(sof []byte) int64 {
	if len(sof) < 6 {
		return 0
	}
	h := int64(binary.BigEndian.Uint16(sof[1:]))
	w := int64(binary.BigEndian.Uint16(sof[3:]))
	nc := int(sof[5])
	if len(sof) < 6+3*nc {
		return 0
	}
	hmax, vmax := int64(1), int64(1)
	for i := 0; i < nc; i++ {
		hs, vs := int64(sof[7+3*i]>>4), int64(sof[7+3*i]&15)
		hmax, vmax = max(hmax, hs), max(vmax, vs)
	}
	mxx, myy := (w+8*hmax-1)/(8*hmax), (h+8*vmax-1)/(8*vmax)
	var blocks int64
	for i := 0; i < nc; i++ {
		hs, vs := int64(sof[7+3*i]>>4), int64(sof[7+3*i]&15)
		blocks += mxx * myy * hs * vs
	}
	return blocks
}
