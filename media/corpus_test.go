package media

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pinhole/internal/testio"
)

// TestCorpus imports every file of the shared test corpus and checks what
// its category calls for (see the corpus README). It runs only when
// PINHOLE_CORPUS names the corpus folder, relative to this package or to
// the repository root; a folder that does not exist is a failure.
//
//	PINHOLE_CORPUS=../shared/testdata/photos go test ./media -run Corpus -v
func TestCorpus(t *testing.T) {
	found, files := testio.Corpus(t)
	l := newLib(t)
	for _, cf := range files {
		path, dims, orient, category := cf.Path, cf.Dims, cf.Orientation, cf.Category
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
			if imports, ok := testio.CorpusVerdicts[path]; ok {
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
	if _, strays, err := l.Stored(context.Background()); err != nil || len(strays) != 0 {
		t.Errorf("strays after the corpus: %v %v", strays, err)
	}
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
