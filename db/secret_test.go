package db_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"pinhole/db"
)

var slugPartRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestSlugPart(t *testing.T) {
	tests := []struct {
		title string
		want  string
	}{
		{"Müller & Søn", "muller-son"},
		{"Ærø Ålborg", "aero-alborg"},
		{"Smith Wedding 2030", "smith-wedding-2030"},
		{"  --Hello,   World!--  ", "hello-world"},
		{"Crème brûlée", "creme-brulee"},
		{"Straße", "strasse"},
		{"Łódź", "lodz"},
		{"Œuvre Þing", "oeuvre-thing"},
		{"Ｆｕｌｌｗｉｄｔｈ", "fullwidth"},
		{"東京の写真", ""},
		{"婚礼 2030", "2030"},
		{"🎉 Party 🎉", "party"},
		{"🎉🎉", ""},
		{"", ""},
		{"The quite extraordinarily long wedding of Alexandra and Maximilian", "the-quite-extraordinarily-long-wedding"},
		{"Supercalifragilisticexpialidocious-Antidisestablishmentarianism", "supercalifragilisticexpialidocious"},
		{strings.Repeat("a", 60), strings.Repeat("a", 40)},
		{strings.Repeat("ab ", 30), "ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab-ab"},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			got := db.SlugPart(tt.title)
			if got != tt.want {
				t.Errorf("SlugPart(%q) = %q, want %q", tt.title, got, tt.want)
			}
			if len(got) > 40 {
				t.Errorf("SlugPart(%q) is %d characters, want ≤ 40", tt.title, len(got))
			}
			if got != "" && !slugPartRE.MatchString(got) {
				t.Errorf("SlugPart(%q) = %q, not lower-case ASCII words joined by dashes", tt.title, got)
			}
		})
	}
}

func TestNewSlug(t *testing.T) {
	tests := []struct {
		title  string
		prefix string
	}{
		{"Müller & Søn", "muller-son-"},
		{"Smith Wedding", "smith-wedding-"},
		{"東京の写真", ""},
		{"🎉", ""},
		{strings.Repeat("Long title words ", 10), "long-title-words-"},
	}
	random := regexp.MustCompile(`^[a-km-np-z2-9]{6,}$`)
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			seen := map[string]bool{}
			for range 1000 {
				s := db.NewSlug(tt.title)
				if !strings.HasPrefix(s, tt.prefix) {
					t.Fatalf("NewSlug(%q) = %q, want prefix %q", tt.title, s, tt.prefix)
				}
				r := s
				if part := db.SlugPart(tt.title); part != "" {
					r = strings.TrimPrefix(s, part+"-")
				}
				if !random.MatchString(r) {
					t.Fatalf("NewSlug(%q) = %q: random part %q, want ≥ 6 of a-z 2-9 without l and o", tt.title, s, r)
				}
				if len(s) > 40+1+len(r) {
					t.Fatalf("NewSlug(%q) = %q is too long", tt.title, s)
				}
				if seen[s] {
					t.Fatalf("NewSlug(%q) gave %q twice in %d", tt.title, s, len(seen))
				}
				seen[s] = true
			}
		})
	}
}

func TestGeneratePIN(t *testing.T) {
	seen := map[string]bool{}
	digits := [10]int{}
	for range 2000 {
		p := db.GeneratePIN()
		if !sixDigits.MatchString(p) {
			t.Fatalf("GeneratePIN() = %q, want 6 digits", p)
		}
		if err := db.ValidPIN(p); err != nil {
			t.Fatalf("ValidPIN(GeneratePIN()) = %v", err)
		}
		seen[p] = true
		for _, c := range p {
			digits[c-'0']++
		}
	}
	if len(seen) < 1900 {
		t.Errorf("2000 PINs, only %d different", len(seen))
	}
	for d, n := range digits {
		if n < 900 || n > 1500 { // 12000 digits, about 1200 each
			t.Errorf("digit %d came %d times in 12000", d, n)
		}
	}
}

func TestValidPIN(t *testing.T) {
	tests := []struct {
		pin string
		ok  bool
	}{
		{"1234", true},
		{"0000", true},
		{"123456789012", true},
		{"123", false},
		{"1234567890123", false},
		{"", false},
		{"12a4", false},
		{"12 34", false},
		{"-123", false},
		{"١٢٣٤", false}, // Arabic-Indic digits
		{"１２３４", false}, // full-width digits
	}
	for _, tt := range tests {
		err := db.ValidPIN(tt.pin)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, db.ErrInvalid)) {
			t.Errorf("ValidPIN(%q) = %v, want ok=%v", tt.pin, err, tt.ok)
		}
	}
}

func TestGenerateCode(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		c := db.GenerateCode()
		if len(c) != 12 {
			t.Fatalf("GenerateCode() = %q, want 12 characters", c)
		}
		if strings.ContainsAny(c, "0O1IL") {
			t.Fatalf("GenerateCode() = %q has a look-alike (0 O 1 I L)", c)
		}
		if err := db.ValidCode(c); err != nil {
			t.Fatalf("ValidCode(%q) = %v", c, err)
		}
		if db.NormalizeCode(c) != c {
			t.Fatalf("GenerateCode() = %q is not normalised", c)
		}
		if seen[c] {
			t.Fatalf("GenerateCode() gave %q twice", c)
		}
		seen[c] = true
	}
}

func TestNormalizeCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"K7QP-2MXD-9RTW", "K7QP2MXD9RTW"},
		{"k7qp 2mxd 9rtw", "K7QP2MXD9RTW"},
		{"  k7-qp\t2m\nxd ", "K7QP2MXD"},
		{"", ""},
		{"- -", ""},
		// As phones and CJK keyboards type them (issue 16).
		{"Ｋ７ＱＰ－２ＭＸＤ", "K7QP2MXD"},
		{"k7qp\u20132mxd\u20149rtw", "K7QP2MXD9RTW"},
		{"K7QP\u00a02MXD\u30009RTW", "K7QP2MXD9RTW"},
		{"K7QP\u22122MXD", "K7QP2MXD"},
	}
	for _, tt := range tests {
		if got := db.NormalizeCode(tt.in); got != tt.want {
			t.Errorf("NormalizeCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizePIN(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"1234", "1234", true},
		{"１２３４", "1234", true},
		{" 12-34 ", "1234", true},
		{"12\u201334\u201456", "123456", true},
		{"12\u00a034\u3000", "1234", true},
		{"123", "123", false},
		{"12a4", "12a4", false},
		{"١٢٣٤", "١٢٣٤", false}, // Arabic-Indic digits are not what NFKC folds
		{"1234\u202e", "1234\u202e", false},
	}
	for _, tt := range tests {
		got := db.NormalizePIN(tt.in)
		if got != tt.want {
			t.Errorf("NormalizePIN(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if ok := db.ValidPIN(got) == nil; ok != tt.ok {
			t.Errorf("ValidPIN(NormalizePIN(%q)) ok = %v, want %v", tt.in, ok, tt.ok)
		}
	}
}

func TestValidCode(t *testing.T) {
	tests := []struct {
		code string
		ok   bool
	}{
		{"ABCDEFGH", true},
		{"23456789", true},
		{strings.Repeat("Z", 64), true},
		{"ABCDEFG", false},
		{strings.Repeat("Z", 65), false},
		{"ABCDEFG0", false},
		{"ABCDEFGO", false},
		{"ABCDEFG1", false},
		{"ABCDEFGI", false},
		{"ABCDEFGL", false},
		{"abcdefgh", false}, // not normalised
		{"ABCD-EFGH", false},
		{"ÄBCDEFGH", false},
	}
	for _, tt := range tests {
		err := db.ValidCode(tt.code)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, db.ErrInvalid)) {
			t.Errorf("ValidCode(%q) = %v, want ok=%v", tt.code, err, tt.ok)
		}
	}
}

func TestFormatCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"K7QP2MXD9RTW", "K7QP-2MXD-9RTW"},
		{"ABCDEFGH", "ABCD-EFGH"},
		{"ABCDEFGHJ", "ABCD-EFGH-J"},
		{"ABCD", "ABCD"},
		{"AB", "AB"},
		{"", ""},
	}
	for _, tt := range tests {
		got := db.FormatCode(tt.in)
		if got != tt.want {
			t.Errorf("FormatCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if back := db.NormalizeCode(got); back != tt.in {
			t.Errorf("NormalizeCode(FormatCode(%q)) = %q", tt.in, back)
		}
	}
}

func TestEqualSecret(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"1234", "1234", true},
		{"1234", "1235", false},
		{"1234", "12345", false},
		{"", "", true},
		{"1234", "", false},
	}
	for _, tt := range tests {
		if got := db.EqualSecret(tt.a, tt.b); got != tt.want {
			t.Errorf("EqualSecret(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNewToken(t *testing.T) {
	seen := map[string]bool{}
	urlSafe := regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)
	for range 1000 {
		tok := db.NewToken()
		if !urlSafe.MatchString(tok) {
			t.Fatalf("NewToken() = %q, want 43 URL-safe characters (32 bytes)", tok)
		}
		if seen[tok] {
			t.Fatalf("NewToken() gave %q twice", tok)
		}
		seen[tok] = true
	}
}

func TestExpiryEnd(t *testing.T) {
	tests := []struct {
		day     string
		want    time.Time
		wantErr bool
	}{
		{"2030-07-01", time.Date(2030, 7, 2, 0, 0, 0, 0, time.Local), false},
		{"2030-12-31", time.Date(2031, 1, 1, 0, 0, 0, 0, time.Local), false},
		{"2030-7-1", time.Time{}, true},
		{"01/07/2030", time.Time{}, true},
		{"", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := db.ExpiryEnd(tt.day)
		if (err != nil) != tt.wantErr || !got.Equal(tt.want) {
			t.Errorf("ExpiryEnd(%q) = %v, %v, want %v (error %v)", tt.day, got, err, tt.want, tt.wantErr)
		}
		if err != nil && !errors.Is(err, db.ErrInvalid) {
			t.Errorf("ExpiryEnd(%q): err = %v, want ErrInvalid", tt.day, err)
		}
	}
}
