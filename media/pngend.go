package media

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
)

// pngIEND is a complete IEND chunk: zero length, type, CRC.
var pngIEND = []byte{0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82}

// pngWithEnd reads the chunk layout of the PNG in r (size bytes). When the
// file ends before its IEND chunk — cut inside a trailing chunk, or with no
// IEND at all — it returns a reader over the whole chunks, followed by an
// IEND, and true. libpng stops reading once it has the pixels, so it
// shows such a file; Go's decoder reads on to IEND and fails. Decoding the
// repaired stream gives the picture when its pixel data is whole, and
// still "not enough pixel data" when the cut went into the pixels.
func pngWithEnd(r io.ReaderAt, size int64) (io.Reader, bool) {
	br := bufio.NewReader(io.NewSectionReader(r, 0, size))
	if _, err := br.Discard(8); err != nil { // signature
		return nil, false
	}
	off := int64(8)
	var head [8]byte
	for {
		if _, err := io.ReadFull(br, head[:]); err != nil {
			break // no room for another chunk header
		}
		n := int64(binary.BigEndian.Uint32(head[:4])) + 4 // data and CRC
		if string(head[4:]) == "IEND" {
			return nil, false
		}
		if off+8+n > size {
			break // the last chunk is cut short
		}
		if _, err := br.Discard(int(n)); err != nil {
			return nil, false
		}
		off += 8 + n
	}
	return io.MultiReader(io.NewSectionReader(r, 0, off), bytes.NewReader(pngIEND)), true
}
