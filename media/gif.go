package media

import (
	"bufio"
	"io"
)

// MaxGIFFrames refuses GIFs with more frames: only the first is imported,
// but a frame flood is no photo.
const MaxGIFFrames = 1000

// gifFrames counts a GIF's frames without decoding them, stopping after
// limit+1. A malformed stream ends the count; the decoder reports it.
func gifFrames(r io.Reader, limit int) int {
	br := bufio.NewReader(r)
	var hdr [13]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return 0
	}
	skipTable := func(packed byte) bool {
		if packed&0x80 != 0 {
			_, err := br.Discard(3 << (packed&7 + 1))
			return err == nil
		}
		return true
	}
	skipSubBlocks := func() bool {
		for {
			n, err := br.ReadByte()
			if err != nil {
				return false
			}
			if n == 0 {
				return true
			}
			if _, err := br.Discard(int(n)); err != nil {
				return false
			}
		}
	}
	if !skipTable(hdr[10]) {
		return 0
	}
	frames := 0
	for frames <= limit {
		b, err := br.ReadByte()
		if err != nil {
			return frames
		}
		switch b {
		case 0x21: // extension
			if _, err := br.ReadByte(); err != nil || !skipSubBlocks() {
				return frames
			}
		case 0x2c: // image descriptor
			var d [9]byte
			if _, err := io.ReadFull(br, d[:]); err != nil || !skipTable(d[8]) {
				return frames
			}
			if _, err := br.ReadByte(); err != nil { // LZW minimum code size
				return frames
			}
			frames++
			if !skipSubBlocks() {
				return frames
			}
		default: // trailer or garbage
			return frames
		}
	}
	return frames
}
