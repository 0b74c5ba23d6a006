package studio

import (
	"os/exec"
	"strings"
	"testing"
	"unicode"
)

func TestPrintable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain é ♥", "plain é ♥"},
		{"a\nb\tc", "a\nb\tc"},
		{"x\x1b]52;c;aGk=\x07.jpg", `x\x1b]52;c;aGk=\x07.jpg`},
		{"Ann\u009b2J", `Ann\u009b2J`},
		{"over\rwrite", `over\x0dwrite`},
		{"bad\xffbyte", `bad\xffbyte`},
	} {
		if got := Printable(c.in); got != c.want {
			t.Errorf("Printable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestPrintable_EveryForgingCharacter: every control, format and line or
// paragraph separator character (but the joiners) is escaped by
// PrintableName; Printable keeps only newline and tab (issue 16).
func TestPrintable_EveryForgingCharacter(t *testing.T) {
	n := 0
	for _, tab := range []*unicode.RangeTable{unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp} {
		for r := rune(0); r <= unicode.MaxRune; r++ {
			if !unicode.Is(tab, r) || r == '\u200c' || r == '\u200d' {
				continue
			}
			n++
			in := "a" + string(r) + "b"
			if got := PrintableName(in); strings.ContainsRune(got, r) || !strings.HasPrefix(got, `a\`) {
				t.Errorf("PrintableName(%q) = %q", in, got)
			}
			got := Printable(in)
			if keep := r == '\n' || r == '\t'; keep != strings.ContainsRune(got, r) {
				t.Errorf("Printable(%q) = %q", in, got)
			}
		}
	}
	if n < 200 {
		t.Fatalf("only %d characters tried", n)
	}
	// Emoji sequences and Persian words keep their joiners.
	for _, s := range []string{"👩\u200d💻", "می\u200cخواهم"} {
		if got := PrintableName(s); got != s {
			t.Errorf("PrintableName(%q) = %q", s, got)
		}
	}
}

// TestShellQuote: a word quoted for the command lines Pinhole hands out
// reaches the command as it is, whatever a visitor put in it, when a real
// shell reads it.
func TestShellQuote(t *testing.T) {
	for _, s := range []string{"Anna", "Anna (2)", "$(touch pwned)", "`id`", "a'b", `"x"`, "back\\slash", "x; rm -rf ~", "Zoë", ""} {
		out, err := exec.Command("sh", "-c", "printf %s "+ShellQuote(s)).Output()
		if err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		if string(out) != s {
			t.Errorf("%q quoted as %s reads %q in a shell", s, ShellQuote(s), out)
		}
	}
}
