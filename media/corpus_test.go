package media

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpus imports every file of the shared test corpus and checks what
// its category calls for (see the corpus README). It runs only when
// PINHOLE_CORPUS names the corpus folder, relative to this package or to
// the repository root; a folder that does not exist is a failure.
//
//	PINHOLE_CORPUS=../shared/testdata/photos go test ./media -run Corpus -v
func TestCorpus(t *testing.T) {
	dir := os.Getenv("PINHOLE_CORPUS")
	if dir == "" {
		t.Skip("PINHOLE_CORPUS not set")
	}
	found := ""
	for _, d := range []string{dir, filepath.Join("..", dir)} {
		if filepath.IsAbs(dir) && d != dir {
			continue
		}
		if fi, err := os.Stat(filepath.Join(d, "MANIFEST.tsv")); err == nil && fi.Mode().IsRegular() {
			found = d
			break
		}
	}
	if found == "" {
		t.Fatalf("PINHOLE_CORPUS=%s: no MANIFEST.tsv there (tried it relative to the package and to the repository root)", dir)
	}
	f, err := os.Open(filepath.Join(found, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l := newLib(t)
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		if len(col) < 7 {
			continue
		}
		path, dims, orient, category := col[0], col[4], col[5], col[6]
		n++
		t.Run(path, func(t *testing.T) {
			src := filepath.Join(found, path)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			type result struct {
				p   Photo
				err error
			}
			done := make(chan result, 1)
			go func() {
				p, err := l.Add(ctx, src, Options{})
				done <- result{p, err}
			}()
			var r result
			select {
			case r = <-done:
			case <-time.After(90 * time.Second):
				t.Fatal("hung")
			}
			p, err := r.p, r.err
			base := filepath.Base(path)
			if err != nil {
				t.Logf("refused: %v", err)
			} else {
				t.Logf("imported: %s %d×%d %q %v", p.Format, p.Width, p.Height, p.Camera, p.TakenAt)
				if p.Name != base {
					t.Errorf("Name = %q, want %q", p.Name, base)
				}
				if missing := l.checkPaths(p.SHA256); len(missing) != 0 {
					t.Errorf("missing %v", missing)
				}
			}
			if imports, ok := corpusVerdicts[path]; ok {
				if imports && err != nil {
					t.Errorf("refused, want it imported: %v", err)
				} else if !imports && !errors.Is(err, ErrCorrupt) {
					t.Errorf("err = %v, want it refused as corrupt", err)
				}
			}
			clear := err == nil || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrUnsupportedFormat) || errors.Is(err, ErrTooLarge)
			if !clear {
				t.Errorf("unclear error: %v", err)
			}
			switch category {
			case "camera", "orientation", "progressive", "icc", "cmyk", "png", "oddname":
				if err != nil {
					t.Fatalf("%s file refused: %v", category, err)
				}
				var w, h int
				if _, e := fmtSscanDims(dims, &w, &h); e == nil {
					if o := orient; o == "5" || o == "6" || o == "7" || o == "8" {
						w, h = h, w
					}
					if p.Width != w || p.Height != h {
						t.Errorf("%d×%d, want %d×%d", p.Width, p.Height, w, h)
					}
				}
				if category == "camera" && orient != "-" && !p.HasTime {
					t.Error("no capture time")
				}
			case "webp", "other":
				if err != nil && !errors.Is(err, ErrUnsupportedFormat) && !errors.Is(err, ErrCorrupt) {
					t.Errorf("refused without a clear reason: %v", err)
				}
			case "heic":
				if err == nil || !errors.Is(err, ErrUnsupportedFormat) || !strings.Contains(err.Error(), "export as JPEG") {
					t.Errorf("HEIC: err = %v, want a message saying to export as JPEG", err)
				}
			case "corrupt":
				// Refused with a message, or imported if only metadata was broken.
			case "bomb":
				if base == "large_valid_12000x9000.jpg" {
					if err != nil {
						t.Errorf("108 MP JPEG refused: %v", err)
					}
				} else if err == nil {
					t.Error("bomb imported")
				}
			default:
				t.Errorf("unknown category %q", category)
			}
		})
	}
	if n == 0 {
		t.Fatal("empty manifest")
	}
	if _, strays, err := l.Stored(context.Background()); err != nil || len(strays) != 0 {
		t.Errorf("strays after the corpus: %v %v", strays, err)
	}
}

// corpusVerdicts pins the outcome of files whose category allows either
// outcome, after checking each against libjpeg and libpng: true, it must
// import; false, it must be refused as corrupt.
var corpusVerdicts = map[string]bool{
	// Only its IEND chunk is cut (libpng shows it without a warning).
	"python-pillow_Pillow/Tests/images/truncated_end_chunk.png": true,
	// Its pixel data is broken as well as its EXIF: libjpeg warns 68 times
	// (bad Huffman codes, extraneous bytes before the RST markers) and
	// paints streaks.
	"python-pillow_Pillow/Tests/images/hopper_bad_exif.jpg": false,
	// Cut right after its scan header, no pixel data at all (libjpeg:
	// "Premature end of JPEG file", a flat grey picture).
	"python-pillow_Pillow/Tests/images/ultrahdr.jpg": false,
	// Entropy data broken midway (libjpeg: bad RST markers, vips fails).
	"ianare_exif-samples/jpg/corrupted.jpg": false,
}

func fmtSscanDims(s string, w, h *int) (int, error) {
	a, b, ok := strings.Cut(s, "x")
	if !ok {
		return 0, errors.New("no dimensions")
	}
	var err error
	if *w, err = atoi(a); err != nil {
		return 0, err
	}
	if *h, err = atoi(b); err != nil {
		return 0, err
	}
	return 2, nil
}

func atoi(s string) (int, error) {
	n := 0
	if s == "" {
		return 0, errors.New("empty")
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, errors.New("not a number")
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}
