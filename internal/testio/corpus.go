package testio

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// CorpusFile is one row of the shared photo corpus's MANIFEST.tsv.
type CorpusFile struct {
	Path        string // relative to the corpus folder
	Dims        string // "WxH" as the header claims, or "-"
	Orientation string // EXIF orientation, or "-"
	Category    string // camera, orientation, corrupt, bomb… (the corpus README says what each calls for)
}

// Corpus finds the photo corpus that PINHOLE_CORPUS names, relative to
// the test's package or to the repository root, and reads its manifest.
// Without PINHOLE_CORPUS the test skips; a folder without a manifest is a
// failure.
func Corpus(t testing.TB) (dir string, files []CorpusFile) {
	t.Helper()
	env := os.Getenv("PINHOLE_CORPUS")
	if env == "" {
		t.Skip("PINHOLE_CORPUS not set")
	}
	tries := []string{env}
	if !filepath.IsAbs(env) {
		if root := repoRoot(); root != "" {
			tries = append(tries, filepath.Join(root, env))
		}
	}
	for _, d := range tries {
		if fi, err := os.Stat(filepath.Join(d, "MANIFEST.tsv")); err == nil && fi.Mode().IsRegular() {
			dir = d
			break
		}
	}
	if dir == "" {
		t.Fatalf("PINHOLE_CORPUS=%s: no MANIFEST.tsv there (tried it relative to the package and to the repository root)", env)
	}
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	for sc.Scan() {
		col := strings.Split(sc.Text(), "\t")
		if len(col) < 7 {
			continue
		}
		files = append(files, CorpusFile{Path: col[0], Dims: col[4], Orientation: col[5], Category: col[6]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("empty manifest")
	}
	return dir, files
}

// repoRoot is the folder holding go.mod, above the working directory.
func repoRoot() string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

// CorpusVerdicts pins the outcome of corpus files whose category allows
// either, after checking each against libjpeg and libpng: true, it must
// import; false, it must be refused as corrupt.
var CorpusVerdicts = map[string]bool{
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
