package studio

import "testing"

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
