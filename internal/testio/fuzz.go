package testio

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// FuzzFileNames seeds f with the names of the repository's testdata/photos
// (each beside its upper-case twin, NUL between them) and some hostile
// names: the file names fuzzers of paths and uploads start from.
func FuzzFileNames(f *testing.F) {
	_, file, _, _ := runtime.Caller(0)
	names, _ := filepath.Glob(filepath.Join(filepath.Dir(file), "..", "..", "testdata", "photos", "*"))
	if len(names) == 0 {
		f.Fatal("no testdata/photos to seed the fuzzer with")
	}
	for _, n := range names {
		f.Add(filepath.Base(n) + "\x00" + strings.ToUpper(filepath.Base(n)))
	}
	for _, s := range []string{"", ".", "..", "../../etc/passwd", "a/b.jpg", `C:\x.jpg`, "IMG_1.JPG\x00img_1.jpg\x00IMG_1 (2).JPG",
		"\u202egpj.exe", " \t", "a..b", "\xff.jpg", "photo\x00photo\x00photo"} {
		f.Add(s)
	}
}
