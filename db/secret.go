package db

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"math/big"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// PINAuto asks for a generated PIN.
const PINAuto = "auto"

// GeneratePIN returns 6 random digits.
func GeneratePIN() string { return randomFrom("0123456789", 6) }

// typedForm is a secret as people type it, made comparable: Unicode NFKC
// (fullwidth １２３４ becomes 1234), with every dash (hyphen, en and em
// dashes, the minus sign…) and space dropped. NFKC runs again after the
// drop: a compatibility character can decompose to a space and combining
// marks, which then compose with what precedes the space (the fuzzer's
// find, db/testdata/fuzz/FuzzNormalizePIN). Bytes that are not UTF-8 are
// replaced first: NFKC passes them through and leaves what follows them
// undecomposed until the second pass (testdata/fuzz/FuzzNormalizeCode).
func typedForm(s string) string {
	return norm.NFKC.String(strings.Map(func(r rune) rune {
		if r == '\u2212' || unicode.Is(unicode.Pd, r) || unicode.IsSpace(r) {
			return -1
		}
		return r
	}, norm.NFKC.String(strings.ToValidUTF8(s, "\uFFFD"))))
}

// NormalizePIN turns a PIN as typed into the digits it means. What is left
// may still have the wrong shape: check it with ValidPIN.
func NormalizePIN(s string) string { return typedForm(s) }

// ValidPIN reports whether pin is 4 to 12 ASCII digits.
func ValidPIN(pin string) error {
	if len(pin) < 4 || len(pin) > 12 {
		return invalidf("PIN must be 4 to 12 digits, got %d characters", len(pin))
	}
	for _, c := range pin {
		if c < '0' || c > '9' {
			return invalidf("PIN must be digits only")
		}
	}
	return nil
}

// EqualSecret compares two shared secrets in constant time.
func EqualSecret(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// codeAlphabet has no look-alikes: no 0/O, 1/I/L.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// GenerateCode returns a new 12-character access code, normalised.
func GenerateCode() string { return randomFrom(codeAlphabet, 12) }

// NormalizeCode turns an access code as typed into its stored form:
// NFKC, upper case, without spaces and dashes of any kind.
func NormalizeCode(s string) string {
	// Upper case can leave a letter and a combining mark that NFKC then
	// composes (i and a dot above make İ): normalise once more after it.
	return norm.NFKC.String(strings.ToUpper(typedForm(s)))
}

// ValidCode checks a normalised access code chosen by hand.
func ValidCode(code string) error {
	if len(code) < 8 {
		return invalidf("access code needs at least 8 letters or digits (dashes and spaces do not count)")
	}
	if len(code) > 64 {
		return invalidf("access code is longer than 64 characters")
	}
	for _, c := range code {
		if !strings.ContainsRune(codeAlphabet, c) {
			return invalidf("access code may use only %s (no 0, O, 1, I or L)", codeAlphabet)
		}
	}
	return nil
}

// FormatCode shows a normalised code in groups of four: K7QP-2MXD-9RTW.
func FormatCode(code string) string {
	var b strings.Builder
	for i, r := range code {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// NewToken returns a random session token for a cookie.
func NewToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func randomFrom(alphabet string, n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		v, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic(err) // crypto/rand never fails on supported systems
		}
		b[i] = alphabet[v.Int64()]
	}
	return string(b)
}

var slugEncoding = base32.NewEncoding("abcdefghijkmnpqrstuvwxyz23456789").WithPadding(base32.NoPadding)

// NewSlug makes a link name: a readable part from the title plus 6 random
// characters, so that a link cannot be guessed from a title.
func NewSlug(title string) string {
	b := make([]byte, 5)
	rand.Read(b)
	random := slugEncoding.EncodeToString(b)[:6]
	if r := SlugPart(title); r != "" {
		return r + "-" + random
	}
	return random
}

// folds covers letters that Unicode does not decompose into ASCII.
var folds = map[rune]string{
	'ø': "o", 'Ø': "o", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ß': "ss",
	'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ð': "d", 'Ð': "d", 'þ': "th", 'Þ': "th",
	'ı': "i", 'ħ': "h", 'Ħ': "h",
}

// SlugPart folds a title to lower-case ASCII words joined by dashes,
// at most 40 characters: "Müller & Søn" → "muller-son".
func SlugPart(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFKD.String(title) {
		if f, ok := folds[r]; ok {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteString(f)
			dash = false
			continue
		}
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			dash = false
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
		if i := strings.LastIndexByte(s, '-'); i > 20 {
			s = s[:i]
		}
	}
	return s
}
