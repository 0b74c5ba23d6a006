package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"pinhole/internal/testio"
)

// FuzzZipNames: whatever the photos' file names (NUL separates them
// here), the ZIP's entry names are valid UTF-8, one plain file name each
// (no folder, no .., no drive, no control character), and unique without
// regard to case.
func FuzzZipNames(f *testing.F) {
	testio.FuzzFileNames(f)
	f.Fuzz(func(t *testing.T, in string) {
		names := strings.Split(in, "\x00")
		out := uniqueNames(names)
		if len(out) != len(names) {
			t.Fatalf("%d names for %d photos", len(out), len(names))
		}
		seen := map[string]bool{}
		for i, n := range out {
			if !utf8.ValidString(n) || n == "" || n == "." || strings.Contains(n, "..") ||
				strings.ContainsAny(n, `/\:`) || strings.IndexFunc(n, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
				t.Fatalf("entry name %q for %q", n, names[i])
			}
			if seen[strings.ToLower(n)] {
				t.Fatalf("entry name %q twice in %q", n, out)
			}
			seen[strings.ToLower(n)] = true
		}
	})
}
