package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	stdjpeg "image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const photos = "../testdata/photos"

func newLib(t testing.TB) *Library {
	t.Helper()
	l, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func add(t testing.TB, l *Library, name string) Photo {
	t.Helper()
	p, err := l.Add(context.Background(), filepath.Join(photos, name), Options{})
	if err != nil {
		t.Fatalf("Add(%s): %v", name, err)
	}
	return p
}

func loadJPEG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := stdjpeg.Decode(f)
	if err != nil {
		t.Fatalf("decode %s: %v", path, err)
	}
	return m
}

// meanAbsDiff compares two images of the same size, channel by channel, on
// a 0–255 scale.
func meanAbsDiff(t testing.TB, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("sizes differ: %v and %v", a.Bounds().Size(), b.Bounds().Size())
	}
	var sum float64
	ab, bb := a.Bounds(), b.Bounds()
	for y := 0; y < ab.Dy(); y++ {
		for x := 0; x < ab.Dx(); x++ {
			r1, g1, b1, _ := a.At(ab.Min.X+x, ab.Min.Y+y).RGBA()
			r2, g2, b2, _ := b.At(bb.Min.X+x, bb.Min.Y+y).RGBA()
			for _, d := range []int{int(r1>>8) - int(r2>>8), int(g1>>8) - int(g2>>8), int(b1>>8) - int(b2>>8)} {
				sum += float64(max(d, -d))
			}
		}
	}
	return sum / float64(3*ab.Dx()*ab.Dy())
}

func TestLibrary_Add_orientation(t *testing.T) {
	l := newLib(t)
	for _, tc := range []struct {
		ref     string
		files   []string
		maxDiff float64
	}{
		{"Landscape_0.jpg", []string{"Landscape_2.jpg", "Landscape_4.jpg", "Landscape_8.jpg"}, 6},
		{"Portrait_0.jpg", []string{"Portrait_4.jpg", "Portrait_5.jpg", "Portrait_6.jpg", "Portrait_7.jpg"}, 6},
		// The same scene, labelled "1" and "3" in big digits.
		{"landscape_1.jpg", []string{"landscape_3.jpg"}, 20},
	} {
		ref := add(t, l, tc.ref)
		for _, name := range tc.files {
			p := add(t, l, name)
			if p.Width != ref.Width || p.Height != ref.Height {
				t.Errorf("%s: %d×%d, want %d×%d like %s", name, p.Width, p.Height, ref.Width, ref.Height, tc.ref)
			}
			for _, path := range []func(string) string{l.PreviewPath, l.ThumbnailPath} {
				got, want := loadJPEG(t, path(p.SHA256)), loadJPEG(t, path(ref.SHA256))
				if d := meanAbsDiff(t, got, want); d > tc.maxDiff {
					t.Errorf("%s: rendition differs from %s by %.1f on average: not upright", name, tc.ref, d)
				}
			}
		}
	}
}

func TestLibrary_Add_cmyk(t *testing.T) {
	l := newLib(t)
	for _, tc := range []struct {
		cmyk, rgb string
		maxDiff   float64
	}{
		{"DSCN0012.cmyk.jpg", "DSCN0012.jpg", 10},
		// Converted with an unknown profile: libvips, with its CMYK
		// profile, is 27 away from the RGB version too.
		{"video-001.cmyk.jpeg", "video-001.jpeg", 40},
	} {
		got, want := add(t, l, tc.cmyk), add(t, l, tc.rgb)
		gm, wm := loadJPEG(t, l.PreviewPath(got.SHA256)), loadJPEG(t, l.PreviewPath(want.SHA256))
		d := meanAbsDiff(t, gm, wm)
		t.Logf("%s vs %s: mean abs difference %.1f", tc.cmyk, tc.rgb, d)
		if d > tc.maxDiff {
			t.Errorf("%s: colours differ from the RGB original %s by %.1f on average", tc.cmyk, tc.rgb, d)
		}
		// Not inverted: far closer to the original than to its negative.
		neg := image.NewRGBA(wm.Bounds())
		for y := wm.Bounds().Min.Y; y < wm.Bounds().Max.Y; y++ {
			for x := wm.Bounds().Min.X; x < wm.Bounds().Max.X; x++ {
				r, g, b, _ := wm.At(x, y).RGBA()
				neg.Set(x, y, color.RGBA{255 - uint8(r>>8), 255 - uint8(g>>8), 255 - uint8(b>>8), 255})
			}
		}
		if dn := meanAbsDiff(t, gm, neg); dn < 2*d {
			t.Errorf("%s: looks inverted (%.1f from the original, %.1f from its negative)", tc.cmyk, d, dn)
		}
	}
}

func TestLibrary_Add_metadata(t *testing.T) {
	l := newLib(t)
	p := add(t, l, "Canon_40D.jpg")
	want := Photo{Name: "Canon_40D.jpg", Width: 100, Height: 68, Camera: "Canon EOS 40D", Format: FormatJPEG, HasTime: true,
		TakenAt: time.Date(2008, 5, 30, 15, 56, 1, 0, time.UTC)}
	if p.Name != want.Name || p.Width != want.Width || p.Height != want.Height || p.Camera != want.Camera ||
		p.Format != want.Format || !p.HasTime || !p.TakenAt.Equal(want.TakenAt) {
		t.Errorf("got %+v\nwant %+v", p, want)
	}
	if fi, err := os.Stat(filepath.Join(photos, "Canon_40D.jpg")); err != nil || p.Bytes != fi.Size() {
		t.Errorf("Bytes = %d, want the file's size", p.Bytes)
	}
	p = add(t, l, "DSCN0010.jpg")
	if p.Camera != "NIKON COOLPIX P6000" || p.TakenAt.Format(time.DateTime) != "2008-10-22 16:28:39" {
		t.Errorf("DSCN0010: camera %q, taken %v", p.Camera, p.TakenAt)
	}
	// Orientation 6 swaps the reported dimensions.
	p = add(t, l, "Portrait_6.jpg")
	if p.Width != 1200 || p.Height != 1800 {
		t.Errorf("Portrait_6: %d×%d, want 1200×1800", p.Width, p.Height)
	}
}

// tiff builds a little-endian EXIF blob: IFD0 with the given entries, each
// ASCII unless it is the orientation, and an Exif IFD.
func tiffBlob(orientation uint16, ifd0, exif map[uint16]string) []byte {
	le := binary.LittleEndian
	var data []byte
	const base = 8
	type ent struct {
		tag, typ uint16
		count    uint32
		val      []byte
	}
	var out []byte
	out = append(out, "II*\x00"...)
	out = le.AppendUint32(out, base)
	build := func(entries []ent, start int) []byte {
		// start: offset of this IFD; values follow it.
		slices.SortFunc(entries, func(a, b ent) int { return int(a.tag) - int(b.tag) })
		var ifd []byte
		valOff := start + 2 + 12*len(entries) + 4
		var vals []byte
		ifd = le.AppendUint16(ifd, uint16(len(entries)))
		for _, e := range entries {
			ifd = le.AppendUint16(ifd, e.tag)
			ifd = le.AppendUint16(ifd, e.typ)
			ifd = le.AppendUint32(ifd, e.count)
			if len(e.val) <= 4 {
				v := make([]byte, 4)
				copy(v, e.val)
				ifd = append(ifd, v...)
			} else {
				ifd = le.AppendUint32(ifd, uint32(valOff+len(vals)))
				vals = append(vals, e.val...)
			}
		}
		ifd = le.AppendUint32(ifd, 0)
		return append(ifd, vals...)
	}
	ascii := func(m map[uint16]string) (es []ent) {
		for k, v := range m {
			es = append(es, ent{k, 2, uint32(len(v) + 1), append([]byte(v), 0)})
		}
		return es
	}
	e0 := ascii(ifd0)
	e0 = append(e0, ent{tagOrientation, 3, 1, le.AppendUint16(nil, orientation)})
	e0 = append(e0, ent{tagExifIFD, 4, 1, make([]byte, 4)})
	first := build(e0, base)
	exifOff := base + len(first)
	// Patch the Exif IFD pointer, now that its offset is known.
	e0[len(e0)-1].val = le.AppendUint32(nil, uint32(exifOff))
	first = build(e0, base)
	data = append(out, first...)
	return append(data, build(ascii(exif), exifOff)...)
}

func TestParseExif(t *testing.T) {
	b := tiffBlob(8, map[uint16]string{tagMake: "FUJIFILM", tagModel: "X-T5"},
		map[uint16]string{tagDateTimeOriginal: "2025:06:14 17:05:09", tagOffsetTimeOrig: "+02:00"})
	got := parseExif(b)
	if got.Orientation != 8 || got.Make != "FUJIFILM" || got.Model != "X-T5" || !got.HasTime {
		t.Fatalf("got %+v", got)
	}
	if s := got.TakenAt.Format(time.RFC3339); s != "2025-06-14T17:05:09+02:00" {
		t.Errorf("TakenAt = %s, want 2025-06-14T17:05:09+02:00", s)
	}
	if c := cameraName(got.Make, got.Model); c != "FUJIFILM X-T5" {
		t.Errorf("camera = %q", c)
	}
	// Every truncation of a valid blob is read without panicking.
	for i := range b {
		parseExif(b[:i])
	}
}

// pngHeader is a PNG whose IHDR claims w×h, followed by a tiny IDAT: the
// shape of a decompression bomb.
func pngHeader(w, h int) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	binary.BigEndian.PutUint32(b[16:], uint32(w))
	binary.BigEndian.PutUint32(b[20:], uint32(h))
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

// jpegHeader is a real JPEG whose SOF claims w×h.
func jpegHeader(t testing.TB, w, h int) []byte {
	var buf bytes.Buffer
	stdjpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil)
	b := buf.Bytes()
	i := bytes.Index(b, []byte{0xff, 0xc0})
	if i < 0 {
		t.Fatal("no SOF0")
	}
	binary.BigEndian.PutUint16(b[i+5:], uint16(h))
	binary.BigEndian.PutUint16(b[i+7:], uint16(w))
	return b
}

func TestLibrary_Add_bombs(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"bomb.png":  pngHeader(50000, 50000),
		"bomb.jpg":  jpegHeader(t, 50000, 50000),
		"wide.jpeg": jpegHeader(t, 65500, 3000),
	}
	for name, data := range files {
		os.WriteFile(filepath.Join(dir, name), data, 0o644)
	}
	l := newLib(t)
	for name := range files {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err := l.Add(context.Background(), filepath.Join(dir, name), Options{})
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: err = %v, want ErrTooLarge", name, err)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
			t.Errorf("%s: allocated %d bytes before refusing", name, alloc)
		}
	}
	// A progressive JPEG under the pixel limit whose coefficients would
	// still take too much memory.
	var buf bytes.Buffer
	stdjpeg.Encode(&buf, image.NewRGBA(image.Rect(0, 0, 8, 8)), &stdjpeg.Options{Quality: 100})
	prog := buf.Bytes()
	i := bytes.Index(prog, []byte{0xff, 0xc0})
	prog[i+1] = 0xc2
	binary.BigEndian.PutUint16(prog[i+5:], 9000)          // height
	binary.BigEndian.PutUint16(prog[i+7:], 12000)         // width: 108 MP
	prog[i+11], prog[i+14], prog[i+17] = 0x11, 0x11, 0x11 // 4:4:4
	os.WriteFile(filepath.Join(dir, "progressive.jpg"), prog, 0o644)
	if _, err := l.Add(context.Background(), filepath.Join(dir, "progressive.jpg"), Options{}); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "baseline") {
		t.Errorf("108 MP 4:4:4 progressive JPEG: err = %v, want ErrTooLarge", err)
	}
	// The limit is configurable.
	if _, err := l.Add(context.Background(), filepath.Join(photos, "DSCN0010.jpg"), Options{MaxPixels: 300_000}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("640×480 with a 0.3 MP limit: err = %v, want ErrTooLarge", err)
	}
	// A GIF frame claiming more than its screen is refused.
	if _, err := l.Add(context.Background(), filepath.Join(photos, "decompression_bomb.gif"), Options{}); err == nil {
		t.Error("decompression_bomb.gif imported")
	}
}

func TestLibrary_Add_gifFrameFlood(t *testing.T) {
	// A GIF of a few frames imports its first frame; a frame flood is
	// refused before decoding.
	for _, frames := range []int{3, MaxGIFFrames + 1} {
		testGIFFrames(t, frames)
	}
}

func testGIFFrames(t *testing.T, frames int) {
	g := &gif.GIF{}
	pal := color.Palette{color.Black, color.White}
	for range frames {
		g.Image = append(g.Image, image.NewPaletted(image.Rect(0, 0, 1, 1), pal))
		g.Delay = append(g.Delay, 0)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, g); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "flood.gif")
	os.WriteFile(path, buf.Bytes(), 0o644)
	start := time.Now()
	p, err := newLib(t).Add(context.Background(), path, Options{})
	if frames > MaxGIFFrames {
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("GIF of %d frames: err = %v, want ErrTooLarge", frames, err)
		}
	} else if err != nil || p.Width != 1 || p.Format != FormatGIF {
		t.Errorf("GIF of %d frames: %+v, %v", frames, p, err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("flood.gif took %v", d)
	}
}

func TestLibrary_Add_refused(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "garbage.jpg"), []byte("this is not a picture at all, just text"), 0o644)
	os.WriteFile(filepath.Join(dir, "empty.jpg"), nil, 0o644)
	os.WriteFile(filepath.Join(dir, "soi-only.jpg"), []byte{0xff, 0xd8, 0xff}, 0o644)
	for _, tc := range []struct {
		path string
		is   error
		msg  []string
	}{
		{filepath.Join(photos, "truncated.jpg"), ErrCorrupt, []string{"truncated.jpg", "corrupt or truncated JPEG", "pixel data ends early"}},
		{filepath.Join(photos, "truncated_image.png"), ErrCorrupt, []string{"corrupt or truncated PNG"}},
		// Its EXIF is broken (and read past), but so is its pixel data:
		// none of its 63 restart intervals fits its Huffman tables, libjpeg
		// warns 68 times (bad Huffman codes, up to 1,530 extraneous bytes
		// before an RST) and paints streaks of black and white.
		{filepath.Join(photos, "hopper_bad_exif.jpg"), ErrCorrupt, []string{"corrupt or truncated JPEG", "bad Huffman code"}},
		// An Ultra HDR photo cut right after its scan header, before the
		// pixel data and the gain map: libjpeg paints a flat grey picture.
		{filepath.Join(photos, "ultrahdr.jpg"), ErrCorrupt, []string{"corrupt or truncated JPEG", "pixel data ends early"}},
		{filepath.Join(dir, "garbage.jpg"), ErrUnsupportedFormat, []string{"unsupported format"}},
		{filepath.Join(dir, "empty.jpg"), ErrCorrupt, []string{"empty file"}},
		{filepath.Join(dir, "soi-only.jpg"), ErrCorrupt, []string{"corrupt or truncated JPEG"}},
		{filepath.Join(photos, "hopper.heif"), ErrUnsupportedFormat, []string{"unsupported format: HEIC — export as JPEG"}},
		{filepath.Join(photos, "exif.avif"), ErrUnsupportedFormat, []string{"unsupported format: AVIF — export as JPEG"}},
	} {
		l := newLib(t)
		_, err := l.Add(context.Background(), tc.path, Options{})
		if !errors.Is(err, tc.is) {
			t.Errorf("%s: err = %v, want %v", tc.path, err, tc.is)
			continue
		}
		for _, m := range tc.msg {
			if !strings.Contains(err.Error(), m) {
				t.Errorf("%s: message %q does not say %q", tc.path, err, m)
			}
		}
		if shas, strays, _ := l.Stored(context.Background()); len(shas)+len(strays) != 0 {
			t.Errorf("%s: refused file left %v %v", tc.path, shas, strays)
		}
	}
	// Broken metadata never costs a photo that decodes.
	add(t, newLib(t), "broken_exif_dpi.jpg")
}

// A PNG cut after its pixel data imports, as it shows in libpng-based
// viewers; one cut inside its pixel data is still refused.
func TestLibrary_Add_pngLostEnd(t *testing.T) {
	want, err := os.ReadFile(filepath.Join(photos, "hopper.png"))
	if err != nil {
		t.Fatal(err)
	}
	ref, err := png.Decode(bytes.NewReader(want))
	if err != nil {
		t.Fatal(err)
	}
	l := newLib(t)
	whole := loadJPEG(t, l.ThumbnailPath(add(t, l, "hopper.png").SHA256))
	// 128×128 of fine detail at JPEG quality 80 with 4:2:0 chroma: 4.2.
	if d := meanAbsDiff(t, whole, ref); d > 6 {
		t.Fatalf("hopper.png's own thumbnail differs from it by %.1f on average", d)
	}
	// Pillow's file ends in the 8-byte header of a second IDAT; its
	// pixels are hopper.png's (vips decodes both to the same samples).
	p := add(t, l, "truncated_end_chunk.png")
	if p.Width != 128 || p.Height != 128 {
		t.Errorf("%d×%d, want 128×128", p.Width, p.Height)
	}
	if d := meanAbsDiff(t, loadJPEG(t, l.ThumbnailPath(p.SHA256)), whole); d != 0 {
		t.Errorf("thumbnail differs from hopper.png's by %.1f on average", d)
	}

	iend := bytes.LastIndex(want, []byte("IEND")) - 4
	idat := bytes.Index(want, []byte("IDAT")) + 4
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
		ok   bool
	}{
		{"no-iend.png", want[:iend], true},
		{"half-iend.png", want[:iend+6], true},
		{"half-pixels.png", want[:idat+(iend-idat)/2], false},
		{"no-idat-crc.png", want[:idat+int(binary.BigEndian.Uint32(want[idat-8:]))], false},
	} {
		path := filepath.Join(dir, tc.name)
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		l := newLib(t)
		p, err := l.Add(context.Background(), path, Options{})
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case tc.ok:
			if d := meanAbsDiff(t, loadJPEG(t, l.ThumbnailPath(p.SHA256)), whole); d != 0 {
				t.Errorf("%s: thumbnail differs from hopper.png's by %.1f on average", tc.name, d)
			}
		case !errors.Is(err, ErrCorrupt):
			t.Errorf("%s: err = %v, want ErrCorrupt", tc.name, err)
		}
	}
}

func TestLibrary_Add_formats(t *testing.T) {
	l := newLib(t)
	for name, format := range map[string]string{
		"hopper.png":                 FormatPNG,
		"video-001.lossy.webp":       FormatWebP,
		"video-001.progressive.jpeg": FormatJPEG,
		"video-005.gray.jpeg":        FormatJPEG,
		"decompression_bomb.gif":     "",
	} {
		if format == "" {
			continue
		}
		p := add(t, l, name)
		if p.Format != format {
			t.Errorf("%s: format %s, want %s", name, p.Format, format)
		}
		if m := loadJPEG(t, l.ThumbnailPath(p.SHA256)); m.Bounds().Dx() != p.Width {
			t.Errorf("%s: thumbnail %v for a %d×%d picture", name, m.Bounds(), p.Width, p.Height)
		}
	}
}

// segments lists the markers of a JPEG up to the first scan.
func segments(t testing.TB, path string) map[byte][][]byte {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := map[byte][][]byte{}
	for i := 2; i+4 <= len(data) && data[i] == 0xff; {
		marker, n := data[i+1], int(binary.BigEndian.Uint16(data[i+2:]))
		m[marker] = append(m[marker], data[i+4:i+2+n])
		if marker == 0xda {
			break
		}
		i += 2 + n
	}
	return m
}

func TestLibrary_Add_renditions(t *testing.T) {
	l := newLib(t)
	// sample.jpg carries an Adobe RGB profile: the renditions must too.
	p := add(t, l, "sample.jpg")
	f, _ := os.Open(filepath.Join(photos, "sample.jpg"))
	meta, _ := readMeta(FormatJPEG, f)
	f.Close()
	if len(meta.icc) == 0 {
		t.Fatal("sample.jpg: no ICC profile read")
	}
	for _, path := range l.paths(p.SHA256)[1:] {
		segs := segments(t, path)
		var icc []byte
		for _, s := range segs[0xe2] {
			icc = append(icc, bytes.TrimPrefix(s, []byte("ICC_PROFILE\x00\x01\x01"))...)
		}
		if !bytes.Equal(icc, meta.icc) {
			t.Errorf("%s: ICC profile not carried (%d bytes, want %d)", path, len(icc), len(meta.icc))
		}
	}
	// DSCN0010.jpg has EXIF with GPS: renditions carry no metadata at all.
	p = add(t, l, "DSCN0010.jpg")
	for _, path := range l.paths(p.SHA256)[1:] {
		for marker := range segments(t, path) {
			if marker >= 0xe0 && marker <= 0xef || marker == 0xfe {
				t.Errorf("%s: carries metadata segment %#x", path, marker)
			}
		}
	}
	// Sizes: the preview is never enlarged; the thumbnail's long side is 512.
	if m := loadJPEG(t, l.PreviewPath(p.SHA256)); m.Bounds().Dx() != 640 || m.Bounds().Dy() != 480 {
		t.Errorf("preview of a 640×480 photo is %v", m.Bounds())
	}
	if m := loadJPEG(t, l.ThumbnailPath(p.SHA256)); m.Bounds().Dx() != 512 || m.Bounds().Dy() != 384 {
		t.Errorf("thumbnail of a 640×480 photo is %v", m.Bounds())
	}
	// The original is stored unchanged.
	a, _ := os.ReadFile(filepath.Join(photos, "DSCN0010.jpg"))
	b, _ := os.ReadFile(l.OriginalPath(p.SHA256))
	if !bytes.Equal(a, b) {
		t.Error("original changed")
	}
}

func TestLibrary_Add_oddNames(t *testing.T) {
	src, err := os.ReadFile(filepath.Join(photos, "Canon_40D.jpg"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	names := []string{
		" leading and trailing space .jpg", "-leading-dash.jpg", "..double..dots...jpg",
		"100% done?#frag&x=1+2.jpg", "Crème brûlée (NFD).jpg", "Ünïcödé café (NFC).jpg",
		"back\\slash<gt>|pipe.jpg", "jpeg-content-named.png", "latin1-\xe9t\xe9.jpg", "no-extension",
		"📷 emoji 🎉.jpeg", ".dotfile.jpg", strings.Repeat("long_", 48) + "name.jpg",
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := newLib(t)
	for _, n := range names {
		p, err := l.Add(context.Background(), filepath.Join(dir, n), Options{})
		if err != nil {
			t.Errorf("%q: %v", n, err)
			continue
		}
		if p.Name != n {
			t.Errorf("Name = %q, want %q", p.Name, n)
		}
	}
}

func TestLibrary_Add_idempotent(t *testing.T) {
	l := newLib(t)
	p1 := add(t, l, "DSCN0012.jpg")
	var stats []fs.FileInfo
	for _, path := range l.paths(p1.SHA256) {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		stats = append(stats, fi)
	}
	p2 := add(t, l, "DSCN0012.jpg")
	if p1 != p2 {
		t.Errorf("second Add: %+v, first %+v", p2, p1)
	}
	for i, path := range l.paths(p1.SHA256) {
		fi, _ := os.Stat(path)
		if !os.SameFile(fi, stats[i]) || !fi.ModTime().Equal(stats[i].ModTime()) {
			t.Errorf("%s rewritten", path)
		}
	}
	// A missing rendition is remade, the others left alone.
	os.Remove(l.ThumbnailPath(p1.SHA256))
	add(t, l, "DSCN0012.jpg")
	if missing := l.checkPaths(p1.SHA256); len(missing) != 0 {
		t.Errorf("missing after re-adding: %v", missing)
	}
	shas, strays, err := l.Stored(context.Background())
	if err != nil || !slices.Equal(shas, []string{p1.SHA256}) || len(strays) != 0 {
		t.Errorf("Stored() = %v, %v, %v", shas, strays, err)
	}
}

// countdown is a context that is cancelled from the n-th time the import
// asks it (Err) on: stepping n from 1 cancels the import at each of its
// checks in turn, wherever they are.
type countdown struct {
	context.Context
	n      atomic.Int64
	cancel context.CancelFunc
}

func newCountdown(n int) *countdown {
	ctx, cancel := context.WithCancel(context.Background())
	c := &countdown{Context: ctx, cancel: cancel}
	c.n.Store(int64(n))
	return c
}

func (c *countdown) Err() error {
	if c.n.Add(-1) <= 0 {
		c.cancel()
	}
	return c.Context.Err()
}

// TestLibrary_Add_cancel: an import cancelled at any of its checks leaves
// nothing behind (no photo, no stray, no file), and one that gets past
// its last check is whole.
func TestLibrary_Add_cancel(t *testing.T) {
	cancelled := 0
	for n := 1; ; n++ {
		if n > 1000 {
			t.Fatal("the import was still cancelled after 1000 checks")
		}
		l := newLib(t)
		ctx := newCountdown(n)
		p, err := l.Add(ctx, filepath.Join(photos, "DSCN0010.jpg"), Options{})
		ctx.cancel()
		shas, strays, serr := l.Stored(context.Background())
		if serr != nil {
			t.Fatal(serr)
		}
		if len(strays) != 0 {
			t.Errorf("cancel at check %d: strays %v", n, strays)
		}
		if err == nil {
			if missing := l.checkPaths(p.SHA256); len(missing) != 0 {
				t.Errorf("past the last check: missing %v", missing)
			}
			break
		}
		cancelled++
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancel at check %d: err = %v, want context.Canceled", n, err)
		}
		if len(shas) != 0 {
			t.Errorf("cancel at check %d: left %v", n, shas)
		}
		filepath.WalkDir(l.Root(), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				t.Errorf("cancel at check %d: left %s", n, p)
			}
			return nil
		})
	}
	t.Logf("cancelled at %d checks, then whole", cancelled)
	// Before storing, after storing, after inspecting, after rendering.
	if cancelled < 4 {
		t.Errorf("cancelled at only %d checks, want at least 4", cancelled)
	}
}

func TestLibrary_AddAll(t *testing.T) {
	l := newLib(t)
	paths := []string{
		filepath.Join(photos, "DSCN0010.jpg"),
		filepath.Join(photos, "truncated.jpg"),
		filepath.Join(photos, "Canon_40D.jpg"),
		filepath.Join(photos, "hopper.heif"),
		filepath.Join(photos, "video-001.jpeg"),
	}
	canon := add(t, newLib(t), "Canon_40D.jpg").SHA256
	got := map[string]error{}
	var skipped []string
	l.AddAll(context.Background(), paths, Options{Workers: 2}, func(sha string) bool { return sha == canon },
		func(p Photo, err error) {
			if _, dup := got[p.Source]; dup {
				t.Errorf("%s reported twice", p.Source)
			}
			got[p.Source] = err
			if p.Skipped {
				skipped = append(skipped, p.Name)
			}
		})
	if len(got) != len(paths) {
		t.Fatalf("reported %d of %d", len(got), len(paths))
	}
	for i, want := range []bool{true, false, true, false, true} {
		if ok := got[paths[i]] == nil; ok != want {
			t.Errorf("%s: err = %v", paths[i], got[paths[i]])
		}
	}
	if !slices.Equal(skipped, []string{"Canon_40D.jpg"}) {
		t.Errorf("skipped %v", skipped)
	}
	if missing := l.checkPaths(canon); len(missing) != 1+len(Renditions()) {
		t.Errorf("skipped photo was stored: missing only %v", missing)
	}
	shas, strays, _ := l.Stored(context.Background())
	if len(shas) != 2 || len(strays) != 0 {
		t.Errorf("Stored() = %v, %v", shas, strays)
	}

	// Cancelled before starting: every path is still reported, nothing stored.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l2 := newLib(t)
	n := 0
	l2.AddAll(ctx, paths, Options{}, nil, func(p Photo, err error) {
		n++
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: %v", p.Source, err)
		}
	})
	if shas, strays, _ := l2.Stored(context.Background()); n != len(paths) || len(shas)+len(strays) != 0 {
		t.Errorf("after cancel: %d reports, stored %v %v", n, shas, strays)
	}
}

func TestLibrary_CheckRepairRemove(t *testing.T) {
	l := newLib(t)
	p := add(t, l, "Landscape_8.jpg")
	want, _ := os.ReadFile(l.PreviewPath(p.SHA256))
	os.Remove(l.PreviewPath(p.SHA256))
	os.Remove(l.ThumbnailPath(p.SHA256))
	if missing := l.checkPaths(p.SHA256); !slices.Equal(missing, []string{l.PreviewPath(p.SHA256), l.ThumbnailPath(p.SHA256)}) {
		t.Errorf("Check = %v", missing)
	}
	if err := l.Repair(context.Background(), p.SHA256); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(l.PreviewPath(p.SHA256)); !bytes.Equal(got, want) {
		t.Error("repaired preview differs from the first one")
	}
	// Strays: a rendition without its original, a leftover temporary file.
	os.WriteFile(filepath.Join(l.Root(), dirOriginals, ".tmp-0123"), nil, 0o644)
	ghost := strings.Repeat("ab", 32)
	os.MkdirAll(filepath.Dir(l.PreviewPath(ghost)), 0o755)
	os.WriteFile(l.PreviewPath(ghost), nil, 0o644)
	shas, strays, err := l.Stored(context.Background())
	if err != nil || !slices.Equal(shas, []string{p.SHA256}) || len(strays) != 2 {
		t.Errorf("Stored() = %v, %v, %v", shas, strays, err)
	}
	if err := l.Remove(context.Background(), p.SHA256); err != nil {
		t.Fatal(err)
	}
	if missing := l.checkPaths(p.SHA256); len(missing) != 1+len(Renditions()) {
		t.Errorf("after Remove, missing %v", missing)
	}
	if err := l.Repair(context.Background(), p.SHA256); !errors.Is(err, ErrNoOriginal) {
		t.Errorf("Repair without original: %v", err)
	}
	if l.OriginalPath("../../etc/passwd") == filepath.Join(l.Root(), "..", "..", "etc", "passwd") {
		t.Error("a bad hash names a path outside the library")
	}
}

func TestWalk(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{
		"b.jpg", "a.jpg", "a.xmp", "IMG_1.JPG", "IMG_1.AAE", "notes.txt", "meta.json", "x.thm",
		".hidden.jpg", ".git/config.jpg", "sub/c.jpg", "sub/.d.jpg", "sub/deeper/e.png",
	} {
		p := filepath.Join(dir, f)
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte("x"), 0o644)
	}
	got, leftOut, err := Walk([]string{dir, filepath.Join(dir, ".hidden.jpg"), filepath.Join(dir, "a.jpg")})
	if err != nil || len(leftOut) != 0 {
		t.Fatal(err, leftOut)
	}
	var rel []string
	for _, p := range got {
		r, _ := filepath.Rel(dir, p)
		rel = append(rel, filepath.ToSlash(r))
	}
	want := []string{"IMG_1.JPG", "a.jpg", "b.jpg", "sub/c.jpg", "sub/deeper/e.png", ".hidden.jpg"}
	if !slices.Equal(rel, want) {
		t.Errorf("Walk = %q\nwant %q", rel, want)
	}
	if _, _, err := Walk([]string{filepath.Join(dir, "missing")}); err == nil {
		t.Error("Walk of a missing path: no error")
	}
}

func TestSniff(t *testing.T) {
	for _, tc := range []struct {
		head string
		want string
	}{
		{"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "unsupported format: HEIC — export as JPEG"},
		{"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "unsupported format: AVIF — export as JPEG"},
		{"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "unsupported format: MP4 video — export as JPEG"},
		{"%PDF-1.7", "unsupported format: PDF — export as JPEG"},
		{"II*\x00\x10\x00\x00\x00CR\x02\x00", "unsupported format: Canon raw (CR2) — export as JPEG"},
		{"RIFF\x00\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x02", "unsupported format: animated WebP — export as JPEG"},
		{"hello", "unsupported format: not a recognised image file — export as JPEG"},
	} {
		_, err := sniff([]byte(tc.head))
		if err == nil || err.Error() != tc.want {
			t.Errorf("sniff(%q) = %v, want %q", tc.head, err, tc.want)
		}
	}
	for head, want := range map[string]string{
		"\xff\xd8\xff\xe0": FormatJPEG, "\x89PNG\r\n\x1a\n": FormatPNG, "GIF89a": FormatGIF,
		"RIFF\x00\x00\x00\x00WEBPVP8 ": FormatWebP, "II*\x00\x08\x00\x00\x00": FormatTIFF,
		"BM\x00\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00": FormatBMP,
	} {
		if got, err := sniff([]byte(head)); got != want || err != nil {
			t.Errorf("sniff(%q) = %q, %v, want %q", head, got, err, want)
		}
	}
}

func TestIsCameraRaw(t *testing.T) {
	if isCameraRaw(tiffBlob(1, nil, nil)) {
		t.Error("plain TIFF taken for raw")
	}
	// A DNGVersion tag, or a reduced-resolution first image, means raw.
	for _, tag := range []uint16{0xc612, 0x00fe} {
		b := tiffBlob(1, nil, nil)
		// Rewrite the orientation entry (tag 0x0112, SHORT, value 1) as this tag.
		i := bytes.Index(b, []byte{0x12, 0x01, 0x03, 0x00})
		binary.LittleEndian.PutUint16(b[i:], tag)
		if !isCameraRaw(b) {
			t.Errorf("tag %#x: not taken for raw", tag)
		}
	}
}

func TestLibrary_AddAll_cancelMidway(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(photos, "*.jpg"))
	if err != nil || len(paths) < 8 {
		t.Fatalf("test photos: %v %v", paths, err)
	}
	l := newLib(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := map[string]bool{}
	n := 0
	l.AddAll(ctx, paths, Options{Workers: 2}, nil, func(p Photo, err error) {
		n++
		if n == 3 {
			cancel()
		}
		if err == nil {
			done[p.SHA256] = true
			if missing := l.checkPaths(p.SHA256); len(missing) != 0 {
				t.Errorf("%s reported done but missing %v", p.Name, missing)
			}
		}
	})
	if n != len(paths) {
		t.Errorf("%d reports for %d paths", n, len(paths))
	}
	shas, strays, err := l.Stored(context.Background())
	if err != nil || len(strays) != 0 {
		t.Errorf("strays after cancel: %v %v", strays, err)
	}
	for _, sha := range shas {
		if !done[sha] {
			t.Errorf("%s stored but not reported done", sha)
		}
	}
	if len(done) == len(paths) {
		t.Log("every file finished before the cancel took effect")
	}
}
