package db_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"pinhole/db"
)

// fuzzNames adds the names of testdata/photos, titles people really give.
func fuzzNames(f *testing.F) {
	names, _ := filepath.Glob("../testdata/photos/*")
	for _, n := range names {
		f.Add(strings.TrimSuffix(filepath.Base(n), filepath.Ext(n)))
	}
	for _, s := range []string{"", "1234", "１２３４", "12-34", "12\u201334", "K7QP-2MXD-9RTW", "ｋ７ｑｐ－２ｍｘｄ",
		"Müller & Søn", "ﬁnal ½", "\u202eevil", "a\u0301\u0301", "\xff\xfe", "Ⅻ", "ß"} {
		f.Add(s)
	}
}

// FuzzNormalizePIN: what a PIN normalises to is stable, and when it is a
// valid PIN it is nothing but ASCII digits.
func FuzzNormalizePIN(f *testing.F) {
	fuzzNames(f)
	f.Fuzz(func(t *testing.T, s string) {
		p := db.NormalizePIN(s)
		if again := db.NormalizePIN(p); again != p {
			t.Fatalf("NormalizePIN(%q) = %q, then %q", s, p, again)
		}
		if db.ValidPIN(p) == nil && !regexp.MustCompile(`^[0-9]{4,12}$`).MatchString(p) {
			t.Fatalf("NormalizePIN(%q) = %q passes ValidPIN", s, p)
		}
	})
}

// FuzzNormalizeCode: normalising an access code is stable, leaves no
// space or dash, and a valid code is in the code alphabet.
func FuzzNormalizeCode(f *testing.F) {
	fuzzNames(f)
	f.Fuzz(func(t *testing.T, s string) {
		c := db.NormalizeCode(s)
		if again := db.NormalizeCode(c); again != c && utf8.ValidString(s) {
			t.Fatalf("NormalizeCode(%q) = %q, then %q", s, c, again)
		}
		if strings.ContainsAny(c, " -\t\n\u2013\u2014\u3000") {
			t.Fatalf("NormalizeCode(%q) = %q keeps a space or dash", s, c)
		}
		if db.ValidCode(c) == nil {
			if !regexp.MustCompile(`^[2-9A-HJKMNP-Z]{8,64}$`).MatchString(c) {
				t.Fatalf("NormalizeCode(%q) = %q passes ValidCode", s, c)
			}
			if f := db.FormatCode(c); db.NormalizeCode(f) != c {
				t.Fatalf("FormatCode(%q) = %q does not read back", c, f)
			}
		}
	})
}

// slugShape is what a link's readable part may be: lower-case ASCII words
// joined by single dashes.
var slugShape = regexp.MustCompile(`^([a-z0-9]+(-[a-z0-9]+)*)?$`)

// FuzzSlug: any title makes a readable part of the right shape, at most 40
// characters, and a slug the website's routes accept.
func FuzzSlug(f *testing.F) {
	fuzzNames(f)
	f.Fuzz(func(t *testing.T, title string) {
		p := db.SlugPart(title)
		if len(p) > 40 || !slugShape.MatchString(p) {
			t.Fatalf("SlugPart(%q) = %q", title, p)
		}
		if s := db.NewSlug(title); !slugShape.MatchString(s) || len(s) > 47 || len(s) < 6 {
			t.Fatalf("NewSlug(%q) = %q", title, s)
		}
	})
}
